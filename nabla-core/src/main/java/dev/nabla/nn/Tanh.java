package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/** Element-wise {@code tanh(x), zero-centred, with derivative at most 1.} */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Functional.tanh(x);
    }
}
