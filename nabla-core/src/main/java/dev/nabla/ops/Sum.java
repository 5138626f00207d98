package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = Σᵢ xᵢ}, a scalar (accumulated in double).
 * <p>Backward: ∂out/∂xᵢ = 1, so every entry of dx is the scalar upstream gradient g.
 */
final class Sum extends Function {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        return Tensor.scalar((float) Elementwise.sum(x.data()));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Tensor.full(g.item(), x.shape().dims())};
    }
}
