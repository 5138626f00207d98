package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code y = max(x, 0)}, element-wise.
 * <p>Backward: the derivative is 1 for x &gt; 0 and 0 for x &lt; 0; at the kink x = 0 we take 0, as PyTorch does.
 * So {@code dx = g · [x > 0]}. A unit whose input is negative for every sample passes no gradient ("dead ReLU").
 */
final class Relu extends Function {
    private Tensor x;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        Tensor y = Tensor.activationBuffer(x.shape());
        Elementwise.relu(x.data(), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(x.shape());
        Elementwise.reluBackward(x.data(), g.data(), dx.data());
        return new Tensor[] {dx};
    }
}
