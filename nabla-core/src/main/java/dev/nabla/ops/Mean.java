package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = (1/n) Σᵢ xᵢ}, a scalar (accumulated in double); the mean of no values is NaN, as in PyTorch.
 * <p>Backward: ∂out/∂xᵢ = 1/n, so every entry of dx is g/n.
 */
final class Mean extends Function {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        return Tensor.scalar((float) (Elementwise.sum(x.data()) / x.size()));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {Tensor.full(g.item() / x.size(), x.shape().dims())};
    }
}
