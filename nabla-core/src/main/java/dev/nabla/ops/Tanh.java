package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code y = tanh(x)}, element-wise.
 * <p>Backward: tanh′(x) = 1 − tanh²(x), so {@code dx = g · (1 − y²)}, from the saved output. tanh′ ≤ 1, with
 * equality only at 0: saturated units (|y| near 1) pass almost no gradient.
 */
final class Tanh extends Function {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        y = Tensor.zeros(in[0].shape());
        Elementwise.tanh(in[0].data(), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(y.shape());
        Elementwise.tanhBackward(y.data(), g.data(), dx.data());
        return new Tensor[] {dx};
    }
}
