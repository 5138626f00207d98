package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/** Element-wise {@code tanh(x)}: zero-centred, with derivative at most 1. */
public final class Tanh extends ActivationLayer {
    /** The layer. */
    public Tanh() {
        super(Activation.TANH);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.tanh(x);
    }
}
