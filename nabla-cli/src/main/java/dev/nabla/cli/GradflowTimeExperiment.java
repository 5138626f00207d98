package dev.nabla.cli;

import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.GradientThroughTime;
import dev.nabla.nn.RecurrentClassifier;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.tensor.Rng;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The experiment behind {@code nabla gradflow} for recurrent configurations: each model reads the images as
 * sequences of their rows, runs one forward and backward pass on the same first batch at initialisation, and the
 * gradient that reaches every time step of the input, ‖∂L/∂x_t‖, shows how far back the loss is felt.
 *
 * @param width     the hidden size of the recurrent layer
 * @param batchSize the samples of the batch: the first of the training data, in order
 * @param seed      seed of the weights
 */
record GradflowTimeExperiment(int width, int batchSize, long seed) {
    /** The hidden size by default, as in the classic row-by-row Fashion-MNIST LSTM. */
    static final int DEFAULT_WIDTH = 128;
    /** The batch by default: the first 64 training samples. */
    static final int DEFAULT_BATCH_SIZE = 64;

    /**
     * What one configuration gave.
     *
     * @param config  the configuration
     * @param spec    the network
     * @param profile ‖∂L/∂x_t‖ per time step
     * @param finding the verdict on it, with the reason and the fix
     */
    record Outcome(GradflowConfig config, RecurrentSpec spec, GradientThroughTime profile, Diagnosis.Finding finding) {
    }

    /** The network of {@code config} for the images of {@code train}: one recurrent layer of the width. */
    RecurrentSpec spec(GradflowConfig config, Dataset train) {
        return RecurrentSpec.ofImages(config.recurrent(), train.features(), List.of(width), train.numClasses(),
                config.activation(), config.forgetBias());
    }

    /** Builds {@code config}'s model and measures its gradient through time on the first batch of {@code split}. */
    Outcome run(GradflowConfig config, Dataset.Split split) {
        Dataset train = split.train();
        RecurrentSpec spec = spec(config, train);
        RecurrentClassifier model = spec.build(new Rng(seed));
        Batch first = train.batch(IntStream.range(0, Math.min(batchSize, train.size())).toArray());
        GradientThroughTime profile = GradientThroughTime.measure(model, first.x(), first.y(), spec.steps());
        return new Outcome(config, spec, profile, profile.diagnose(model.layers().get(0)));
    }
}
