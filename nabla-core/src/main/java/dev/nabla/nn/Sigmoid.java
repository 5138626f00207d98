package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/**
 * Element-wise {@code 1/(1 + e^−x)}. Its derivative is at most 1/4, which makes deep sigmoid stacks prone to vanishing
 * gradients.
 */
public final class Sigmoid extends ActivationLayer {
    /** The layer. */
    public Sigmoid() {
        super(Activation.SIGMOID);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.sigmoid(x);
    }
}
