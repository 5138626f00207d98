package dev.nabla.nn;

import dev.nabla.tensor.Rng;
import java.io.Serializable;

/**
 * A classifier described in a few values, as the command line and reports name it: a multi-layer perceptron
 * ({@link MlpSpec}), a recurrent network over the rows of an image ({@link RecurrentSpec}) or a convolutional
 * network ({@link CnnSpec}). Its sizes are known before anything is built, so that a network too large for the heap
 * is refused before it is allocated. Serializable, so that a cluster's workers can build copies of the network.
 */
public sealed interface ModelSpec extends Serializable permits MlpSpec, RecurrentSpec, CnnSpec {
    /** The network, its weights drawn from {@code rng}. */
    Module build(Rng rng);

    /** The number of trainable values the network will have (a long: it may be huge). */
    long parameterCount();

    /** The number of values of the largest weight matrix (a long: it may exceed an array's). */
    long largestWeight();

    /** The most values one sample puts into a single tensor in a training step: a batch holds that many per sample. */
    long widestPerSample();

    /** The values a training step keeps per sample for the backward pass (the outputs and their gradients), about. */
    long activationsPerSample();

    /**
     * Samples per evaluation batch: 1,000 (the trainer's default) unless the network's layers hold large maps per
     * sample, as a CNN's do; then fewer, so that no layer's output for the batch is a block of more than a few
     * megabytes, which the collector would place among long-lived objects.
     */
    default int evalBatchSize() {
        return 1000;
    }
}
