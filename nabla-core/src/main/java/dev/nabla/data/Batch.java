package dev.nabla.data;

import dev.nabla.tensor.Tensor;

/**
 * One mini-batch: the inputs and their class labels, row {@code i} of {@code x} labelled {@code y[i]}.
 *
 * <p>Every batch a {@link DataLoader} or {@link Dataset#batch} returns owns fresh arrays, so holding on to one
 * (for a diagnostic, say) is safe while iteration goes on.
 *
 * @param x the inputs, {@code [B, ...sampleShape]}
 * @param y the {@code B} class labels, each in {@code [0, numClasses)}
 */
public record Batch(Tensor x, int[] y) {

    /** The number of samples, {@code B}. */
    public int size() {
        return y.length;
    }
}
