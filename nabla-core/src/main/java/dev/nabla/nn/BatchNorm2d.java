package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * Batch normalisation of images {@code [N, C, H, W]}, per channel C over the batch and both spatial dimensions.
 * Output of the input's shape.
 *
 * @see BatchNorm the behaviour in training and evaluation mode, the options and the state
 */
public final class BatchNorm2d extends BatchNorm {
    /** Normalisation of {@code numFeatures} channels with PyTorch's defaults ({@link Options#defaults()}). */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, Options.defaults());
    }

    /** Normalisation of {@code numFeatures} channels with the given options. */
    public BatchNorm2d(int numFeatures, Options options) {
        super(numFeatures, options);
    }

    @Override
    void checkInput(Tensor x) {
        if (x.rank() == 4 && x.dim(1) == numFeatures()) {
            return;
        }
        String name = "BatchNorm2d(" + numFeatures() + ") got input " + x.shape() + ": ";
        if (x.rank() == 2 || x.rank() == 3) {
            throw new IllegalArgumentException(name + "for features [N, C] or sequences [N, C, L] use BatchNorm1d");
        }
        throw new IllegalArgumentException(name + "expected images [N, " + numFeatures() + ", H, W]");
    }
}
