package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code y = x} for x &gt; 0, {@code y = slope · x} otherwise (PyTorch's default slope is 0.01).
 * <p>Backward: {@code dx = g} where x &gt; 0, {@code dx = slope · g} elsewhere (at x = 0 the slope side, as
 * PyTorch). Unlike ReLU the unit never stops passing gradient entirely.
 */
final class LeakyRelu extends Function {
    private final float slope;
    private Tensor x;

    LeakyRelu(float slope) {
        this.slope = slope;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        Tensor y = Tensor.zeros(x.shape());
        Elementwise.leakyRelu(x.data(), slope, y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(x.shape());
        Elementwise.leakyReluBackward(x.data(), slope, g.data(), dx.data());
        return new Tensor[] {dx};
    }
}
