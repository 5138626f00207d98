package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = x + y}, the shapes broadcast as PyTorch's ({@link Broadcast}): a bias row is added to every row.
 * <p>Backward: ∂out/∂x = ∂out/∂y = 1, so {@code dx = g} and {@code dy = g}, each summed over the dimensions its
 * operand was repeated along.
 */
final class Add extends Function {
    private Broadcast broadcast;

    @Override
    protected Tensor forward(Tensor... in) {
        broadcast = Broadcast.of("add", in[0], in[1]);
        Tensor out = Tensor.zeros(broadcast.shape());
        Elementwise.addBroadcast(broadcast.left(in[0]).data(), broadcast.right(in[1]).data(), 1f, out.data());
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        return new Tensor[] {needsInputGrad(0) ? broadcast.gradLeft(g) : null,
            needsInputGrad(1) ? broadcast.gradRight(g) : null};
    }
}
