package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = x + y}, where y has x's shape or is one row added to every row (a bias).
 * <p>Backward: ∂out/∂x = ∂out/∂y = 1, so {@code dx = g}; {@code dy = g}, summed over the rows where y was
 * repeated.
 */
final class Add extends Function {
    private boolean broadcast;
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        y = in[1];
        broadcast = Broadcast.check("add", x, y);
        Tensor out = Tensor.zeros(x.shape());
        Elementwise.addBroadcast(x.data(), y.data(), 1f, out.data());
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {g, needsInputGrad(1) ? Broadcast.reduceTo(g, y, broadcast) : null};
    }
}
