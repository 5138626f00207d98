package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/** Element-wise {@code 1/(1 + e^−x). Its derivative is at most 1/4, which makes deep sigmoid stacks prone to vanishing gradients.} */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return Functional.sigmoid(x);
    }
}
