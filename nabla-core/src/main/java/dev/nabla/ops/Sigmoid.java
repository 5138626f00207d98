package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code y = σ(x) = 1/(1 + e^−x)}, element-wise.
 * <p>Backward: σ′(x) = e^−x/(1 + e^−x)² = σ(x)(1 − σ(x)), so {@code dx = g · y(1 − y)}, from the saved output.
 * <p><b>Note:</b> σ′ ≤ 1/4 (at x = 0), so each sigmoid layer shrinks the gradient by at least 4×: the root of
 * vanishing gradients in deep sigmoid networks.
 */
final class Sigmoid extends Function {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        y = Tensor.zeros(in[0].shape());
        Elementwise.sigmoid(in[0].data(), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(y.shape());
        Elementwise.sigmoidBackward(y.data(), g.data(), dx.data());
        return new Tensor[] {dx};
    }
}
