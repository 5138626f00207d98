package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Locale;

/**
 * The optimizers by name, for command lines and configuration files: each with the learning rate and weight decay
 * it uses when none is given, and a way to build it. {@link #toString()} is the name the command line takes.
 */
public enum OptimizerKind {
    /** {@link SGD}, with momentum {@link #SGD_MOMENTUM} unless told otherwise. */
    SGD,
    /** {@link Adam}. */
    ADAM,
    /** {@link AdamW}. */
    ADAMW,
    /** {@link RMSprop}, without momentum unless told otherwise (PyTorch's default). */
    RMSPROP,
    /** {@link Adagrad}. */
    ADAGRAD;

    /**
     * The learning rate of {@link #SGD} when none is given: 0.01, a common start for SGD with momentum on small
     * networks. (PyTorch's SGD has no default rate; Adam's and AdamW's are their classes' constants.)
     */
    public static final double SGD_LR = 0.01;
    /** The momentum of {@link #SGD} when none is given: 0.9, as most examples use (the class's own default is 0). */
    public static final double SGD_MOMENTUM = 0.9;
    /** The optimizer a command line uses when told nothing: Adam, which trains most networks at its default rate. */
    public static final OptimizerKind DEFAULT = ADAM;

    /** The learning rate used when none is given. */
    public double defaultLr() {
        return Optimizers.defaultLr(this);
    }

    /** The weight decay used when none is given: 0, but AdamW's {@value AdamW#DEFAULT_WEIGHT_DECAY}. */
    public double defaultWeightDecay() {
        return Optimizers.defaultWeightDecay(this);
    }

    /** True for the optimizers that take a momentum μ: SGD and RMSprop (Adam's β₁ plays that part, not set here). */
    public boolean hasMomentum() {
        return this == SGD || this == RMSPROP;
    }

    /** The momentum used when none is given: {@link #SGD_MOMENTUM} for SGD, 0 for RMSprop, as PyTorch's. */
    public double defaultMomentum() {
        return this == SGD ? SGD_MOMENTUM : 0;
    }

    /**
     * The optimizer over {@code params}, its other options at their defaults.
     *
     * @param weightDecay L2 weight decay for SGD and Adam, decoupled for AdamW
     * @param momentum    SGD's and RMSprop's μ; ignored by the others (see {@link #hasMomentum()})
     */
    public Optimizer create(List<Tensor> params, double lr, double weightDecay, double momentum) {
        return Optimizers.create(this, params, lr, weightDecay, momentum);
    }

    /** The name the command line takes: {@code sgd}, {@code adam}, {@code adamw}, {@code rmsprop}, {@code adagrad}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
