package dev.nabla.data;

import dev.nabla.tensor.Tensor;

/**
 * One mini-batch: the inputs and their answers — class labels, row {@code i} of {@code x} labelled {@code y[i]}, or,
 * for regression, the targets, row {@code i} of {@code x} answered by row {@code i} of {@code target}.
 *
 * <p>Every batch a {@link DataLoader} or {@link Dataset#batch} returns owns fresh arrays, so holding on to one
 * (for a diagnostic, say) is safe while iteration goes on.
 *
 * @param x      the inputs, {@code [B, ...sampleShape]}
 * @param y      the {@code B} class labels, each in {@code [0, numClasses)}; null for regression
 * @param target the regression targets, {@code [B, T]}; null for classification
 */
public record Batch(Tensor x, int[] y, Tensor target) {

    /** A classification batch. */
    public Batch(Tensor x, int[] y) {
        this(x, y, null);
    }

    /** The number of samples, {@code B}. */
    public int size() {
        return x.dim(0);
    }
}
