package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = x ⊙ y} (element-wise), the shapes broadcast as PyTorch's ({@link Broadcast}).
 * <p>Backward: ∂out/∂x = y and ∂out/∂y = x, so {@code dx = g ⊙ y} and {@code dy = g ⊙ x}, each summed over the
 * dimensions its operand was repeated along.
 */
final class Mul extends Function {
    private Broadcast broadcast;
    private Tensor x;
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        broadcast = Broadcast.of("mul", in[0], in[1]);
        x = broadcast.left(in[0]);
        y = broadcast.right(in[1]);
        Tensor out = Tensor.zeros(broadcast.shape());
        Elementwise.mulBroadcast(x.data(), y.data(), out.data());
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = null;
        Tensor dy = null;
        if (needsInputGrad(0)) {
            Tensor gx = Tensor.zeros(broadcast.shape());
            Elementwise.mulBroadcast(g.data(), y.data(), gx.data());
            dx = broadcast.gradLeft(gx);
        }
        if (needsInputGrad(1)) {
            Tensor gy = Tensor.zeros(broadcast.shape());
            Elementwise.mulBroadcast(g.data(), x.data(), gy.data());
            dy = broadcast.gradRight(gy);
        }
        return new Tensor[] {dx, dy};
    }
}
