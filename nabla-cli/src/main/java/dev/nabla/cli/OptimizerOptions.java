package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.optim.OptimizerKind;
import dev.nabla.tensor.Numbers;
import dev.nabla.tensor.Tensor;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --optimizer}, {@code --lr}, {@code --momentum} and {@code --weight-decay} (a picocli mixin). What is not
 * given takes the optimizer's own default ({@link OptimizerKind}).
 */
final class OptimizerOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "${COMPLETION-CANDIDATES}, with PyTorch's update rules. Default: ${DEFAULT-VALUE}.")
    OptimizerKind kind = OptimizerKind.DEFAULT;

    @Option(names = "--lr", paramLabel = "RATE", converter = Converters.PositiveNumber.class,
            description = "Learning rate. Default: " + Adam.DEFAULT_LR + " for adam and adamw, " + OptimizerKind.SGD_LR
                    + " for sgd, rmsprop and adagrad.")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", converter = Converters.UnitOpenNumber.class,
            description = "Momentum, in [0, 1), for sgd and rmsprop (Adam's β₁ plays its part). Default: "
                    + OptimizerKind.SGD_MOMENTUM + " for sgd, 0 for rmsprop.")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD", converter = Converters.NonNegativeNumber.class,
            description = "Weight decay: L2 penalty for sgd and adam, decoupled for adamw. Default: 0, and "
                    + AdamW.DEFAULT_WEIGHT_DECAY + " for adamw.")
    Double weightDecay;

    /** The options with another default optimizer, for a command whose subject needs another one. */
    static OptimizerOptions withDefault(OptimizerKind kind) {
        OptimizerOptions options = new OptimizerOptions();
        options.kind = kind;
        return options;
    }

    /** Refuses what the chosen optimizer would ignore. */
    void validate() {
        if (momentum != null && !kind.hasMomentum()) {
            throw new CommandLine.ParameterException(command.commandLine(), "--momentum applies to sgd and rmsprop, "
                    + "and " + kind + " would ignore it" + (kind == OptimizerKind.ADAGRAD ? "" : " (its β₁ = "
                    + Adam.DEFAULT_BETA1 + " plays that part)") + ": drop --momentum, or use --optimizer sgd");
        }
    }

    /** The learning rate: the one given, else the optimizer's default. */
    double lr() {
        return lr != null ? lr : kind.defaultLr();
    }

    /** The optimizer over {@code params}. */
    Optimizer create(List<Tensor> params) {
        return factory().create(params);
    }

    /** The optimizer as a recipe that workers elsewhere can make their own from. */
    OptimizerFactory factory() {
        return OptimizerFactory.of(kind, lr(), weightDecay(), momentum());
    }

    /** Values of state kept per parameter (Adam's two moments, SGD's momentum buffer), for {@link MemoryCheck}. */
    int stateSlots() {
        return switch (kind) {
            case SGD -> 1;
            case ADAM, ADAMW -> 2;
            case RMSPROP -> 3;
            case ADAGRAD -> 1;
        };
    }

    private double weightDecay() {
        return weightDecay != null ? weightDecay : kind.defaultWeightDecay();
    }

    private double momentum() {
        return momentum != null ? momentum : kind.defaultMomentum();
    }

    /** The optimizer as the run's header and report show it, e.g. {@code sgd lr=0.01 momentum=0.9}. */
    @Override
    public String toString() {
        String decay = weightDecay() != 0 ? " weight_decay=" + Numbers.plain(weightDecay()) : "";
        return kind + " lr=" + Numbers.plain(lr()) + decay + (kind.hasMomentum() ? " momentum="
                + Numbers.plain(momentum()) : "");
    }
}
