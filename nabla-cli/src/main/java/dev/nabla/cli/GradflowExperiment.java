package dev.nabla.cli;

import dev.nabla.data.Dataset;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.GradientMonitor;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.BatchNormStats;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.History;
import dev.nabla.train.Trainer;
import dev.nabla.train.TrainingDivergedException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The experiment behind {@code nabla gradflow}: a deep MLP, or a CNN, trained for a few steps (SGD by default) under
 * a {@link GradientMonitor} that records every step, and the {@link Diagnosis} of what it saw.
 *
 * @param network   the network of a configuration on the data: a deep MLP, or a CNN with or without BatchNorm2d
 * @param steps     optimisation steps
 * @param batchSize samples per step
 * @param optimizer the optimizer over a network's parameters
 * @param seed      seed of the weights and the batch order
 */
record GradflowExperiment(Function<GradflowConfig, ModelSpec> network, int steps, int batchSize,
                          Function<List<Tensor>, Optimizer> optimizer,
                          long seed) {
    /** Hidden layers by default: enough for a sigmoid network's gradient to vanish by many orders of magnitude. */
    static final int DEFAULT_DEPTH = 20;
    /** Units per hidden layer by default. */
    static final int DEFAULT_WIDTH = 256;
    /** Training steps by default: the table shows the first, the diagnosis watches them all. */
    static final int DEFAULT_STEPS = 5;
    /** Samples per step by default. */
    static final int DEFAULT_BATCH_SIZE = 128;
    /** The activation by default: the sigmoid, whose σ′ ≤ 1/4 makes the gradient vanish. */
    static final Activation DEFAULT_ACTIVATION = Activation.SIGMOID;

    /**
     * What one configuration gave.
     *
     * @param config    the configuration
     * @param spec      the network
     * @param records   what the monitor recorded
     * @param diagnosis its diagnosis
     * @param history   the steps and (partial) epoch completed
     * @param diverged  the trainer's message when a NaN or ∞ stopped the run, else null
     */
    record Outcome(GradflowConfig config, ModelSpec spec, MonitorRecords records, Diagnosis diagnosis, History history,
                   String diverged) {
        /** The hidden layers' weights, input side first (every weight but the output layer's). */
        List<Parameter> hiddenWeights() {
            List<Parameter> weights = records.parameters().stream().filter(Parameter::isWeight).toList();
            return weights.subList(0, weights.size() - 1);
        }

        /** The output layer's weight. */
        Parameter outputWeight() {
            List<Parameter> weights = records.parameters().stream().filter(Parameter::isWeight).toList();
            return weights.get(weights.size() - 1);
        }

        /** Each parameter's gradient norm at the first step (the network as initialised), by name. */
        Map<String, Double> firstStepNorms() {
            if (records.gradients().isEmpty()) {
                return Collections.emptyMap();
            }
            long first = records.gradients().get(0).step();
            return records.gradients().stream().filter(g -> g.step() == first)
                    .collect(Collectors.toMap(GradientStats::name, GradientStats::gradNorm));
        }

        /** ‖∂L/∂W‖ of the first hidden layer over that of the last, at the first step. */
        double ratioFirstLast() {
            Map<String, Double> norms = firstStepNorms();
            List<Parameter> hidden = hiddenWeights();
            if (norms.isEmpty() || hidden.isEmpty()) {
                return Double.NaN;
            }
            return norms.get(hidden.get(0).name()) / norms.get(hidden.get(hidden.size() - 1).name());
        }

        /** The ReLUs' statistics at the last recorded step. */
        List<ActivationStats> lastRelus() {
            List<ActivationStats> outputs = records.outputs();
            return outputs.stream().filter(a -> a.step() == outputs.get(outputs.size() - 1).step()
                    && a.kind() == Activation.RELU).toList();
        }

        /** The batch normalisation layers' running statistics at the last recorded step. */
        List<BatchNormStats> lastBatchNorms() {
            List<BatchNormStats> norms = records.batchNorms();
            return norms.stream().filter(b -> b.step() == norms.get(norms.size() - 1).step()).toList();
        }

        /** The median weight gain ‖W‖_F/√rows of the hidden layers after the first, at the first step. */
        double weightGain() {
            if (records.gradients().isEmpty()) {
                return Double.NaN;
            }
            long first = records.gradients().get(0).step();
            List<Parameter> hidden = hiddenWeights();
            double[] gains = hidden.subList(Math.min(1, hidden.size()), hidden.size()).stream()
                    .mapToDouble(p -> records.gradients().stream()
                            .filter(g -> g.step() == first && g.name().equals(p.name())).findFirst()
                            .map(g -> g.paramNorm() / Math.sqrt(p.rows())).orElse(Double.NaN))
                    .sorted().toArray();
            return gains.length == 0 ? Double.NaN : gains[gains.length / 2];
        }
    }

    /** The deep MLP of a configuration: {@code depth} hidden layers of {@code width} units on the data's features. */
    static Function<GradflowConfig, ModelSpec> mlp(int depth, int width, Dataset data) {
        return c -> new MlpSpec(data.features(), Collections.nCopies(depth, width), data.numClasses(), c.activation(),
                c.init(), c.batchNorm());
    }

    /** A CNN's configuration: {@code base}, with BatchNorm2d as the configuration says. */
    static Function<GradflowConfig, ModelSpec> cnn(CnnSpec base) {
        return c -> new CnnSpec(base.height(), base.width(), base.channels(), base.hidden(), base.classes(),
                c.batchNorm(), base.dropout());
    }

    /** Builds, trains and diagnoses one configuration on {@code split}. */
    Outcome run(GradflowConfig config, Dataset.Split split) {
        ModelSpec spec = network.apply(config);
        Module model = spec.build(new Rng(seed));
        Trainer.Builder trainer = Trainer.builder(model, optimizer.apply(model.parameters())).batchSize(batchSize)
                .seed(seed).epochs(Integer.MAX_VALUE).maxSteps(steps);
        if (config.clipNorm() != null) {
            trainer.clipGradNorm(config.clipNorm());
        }
        try (GradientMonitor monitor = GradientMonitor.attach(model, 1)) {
            History history;
            String diverged = null;
            try {
                history = trainer.listener(monitor).build().fit(split.train(), split.test());
            } catch (TrainingDivergedException e) {
                history = e.history();
                diverged = e.getMessage();
            }
            MonitorRecords records = monitor.records();
            return new Outcome(config, spec, records, Diagnosis.of(records), history, diverged);
        }
    }
}
