package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * Batch normalisation of features {@code [N, C]} or sequences {@code [N, C, L]}, per channel C: the usual layer
 * between a {@link Linear} and its activation. Output of the input's shape.
 *
 * <pre>{@code
 * new Sequential(new Linear(784, 256), new BatchNorm1d(256), new ReLU(), new Linear(256, 10));
 * }</pre>
 *
 * @see BatchNorm the behaviour in training and evaluation mode, the options and the state
 */
public final class BatchNorm1d extends BatchNorm {
    /** Normalisation of {@code numFeatures} channels with PyTorch's defaults ({@link Options#defaults()}). */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, Options.defaults());
    }

    /** Normalisation of {@code numFeatures} channels with the given options. */
    public BatchNorm1d(int numFeatures, Options options) {
        super(numFeatures, options);
    }

    @Override
    void checkInput(Tensor x) {
        if ((x.rank() == 2 || x.rank() == 3) && x.dim(1) == numFeatures()) {
            return;
        }
        String name = "BatchNorm1d(" + numFeatures() + ") got input " + x.shape() + ": ";
        if (x.rank() == 4) {
            throw new IllegalArgumentException(name + "for images [N, C, H, W] use BatchNorm2d");
        }
        if (x.rank() == 1) {
            throw new IllegalArgumentException(name + "it needs a batch [N, " + numFeatures()
                    + "]; a single sample can only be normalised in evaluation mode, as x.reshape(1, -1)");
        }
        throw new IllegalArgumentException(name + "expected [N, " + numFeatures() + "] or [N, " + numFeatures()
                + ", L]; check the previous layer's output size");
    }
}
