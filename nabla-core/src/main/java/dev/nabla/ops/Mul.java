package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = x ⊙ y} (element-wise), where y has x's shape or is one row that scales every row.
 * <p>Backward: ∂out/∂x = y and ∂out/∂y = x, so {@code dx = g ⊙ y} (y repeated over rows) and
 * {@code dy = g ⊙ x}, summed over the rows where y was repeated.
 */
final class Mul extends Function {
    private boolean broadcast;
    private Tensor x;
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        y = in[1];
        broadcast = Broadcast.check("mul", x, y);
        Tensor out = Tensor.zeros(x.shape());
        Elementwise.mulBroadcast(x.data(), y.data(), out.data());
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = null;
        Tensor dy = null;
        if (needsInputGrad(0)) {
            dx = Tensor.zeros(x.shape());
            Elementwise.mulBroadcast(g.data(), y.data(), dx.data());
        }
        if (needsInputGrad(1)) {
            Tensor gx = Tensor.zeros(x.shape());
            Elementwise.mulBroadcast(g.data(), x.data(), gx.data());
            dy = Broadcast.reduceTo(gx, y, broadcast);
        }
        return new Tensor[] {dx, dy};
    }
}
