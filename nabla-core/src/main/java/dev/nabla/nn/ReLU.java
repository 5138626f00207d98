package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/**
 * Element-wise {@code max(x, 0)}. The default for deep networks: its derivative is 1 for active units, so it does not
 * shrink gradients the way sigmoid does.
 */
public final class ReLU extends ActivationLayer {
    /** The layer. */
    public ReLU() {
        super(Activation.RELU);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.relu(x);
    }
}
