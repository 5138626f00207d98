package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = x − y}, where y has x's shape or is one row subtracted from every row.
 * <p>Backward: ∂out/∂x = 1 and ∂out/∂y = −1, so {@code dx = g} and {@code dy = −g}, summed over the rows where
 * y was repeated.
 */
final class Sub extends Function {
    private boolean broadcast;
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        y = in[1];
        broadcast = Broadcast.check("sub", x, y);
        Tensor out = Tensor.zeros(x.shape());
        Elementwise.addBroadcast(x.data(), y.data(), -1f, out.data());
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dy = null;
        if (needsInputGrad(1)) {
            dy = Broadcast.reduceTo(g, y, broadcast).copy();
            Elementwise.scale(dy.data(), -1f, dy.data());
        }
        return new Tensor[] {g, dy};
    }
}
