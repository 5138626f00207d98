package dev.nabla.loss;

import dev.nabla.tensor.Tensor;

/**
 * A loss between a model's outputs and numeric targets of the same shape, {@code [N, T]}; the scalar it returns is
 * differentiable. {@link MSELoss}, {@link L1Loss}, {@link HuberLoss} and {@link SmoothL1Loss} are ones; the trainer
 * takes one for regression data. Those four are {@link java.io.Serializable}, so that data-parallel workers on other
 * machines can be given the same loss.
 */
@FunctionalInterface
public interface RegressionLoss {
    /**
     * @param output the model's output for N samples, {@code [N, T]}
     * @param target the N samples' targets, {@code [N, T]}
     * @return the loss, a scalar tensor to call {@code backward()} on
     */
    Tensor apply(Tensor output, Tensor target);
}
