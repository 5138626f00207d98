package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/** A loss between a model's outputs {@code [N, C]} and N integer class labels; the scalar it returns is differentiable. */
@FunctionalInterface
public interface ClassificationLoss {
    /**
     * @param output  the model's output for N samples, {@code [N, C]}
     * @param targets one class index in {@code [0, C)} per sample
     * @return the loss, a scalar tensor to call {@code backward()} on
     */
    Tensor apply(Tensor output, int[] targets);
}
