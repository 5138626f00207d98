package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = condition ? x : y}, element by element (PyTorch's {@code torch.where}); the condition is a tensor
 * of the same shape whose non-zero entries mean true. {@link Functional#maskedFill} is this op with a constant y.
 * <p>Backward: ∂out/∂x = [c] and ∂out/∂y = [¬c], so {@code dx = g · [c]} and {@code dy = g · [¬c]}; the condition
 * takes no gradient.
 */
final class Where extends Function {
    private final boolean[] condition;

    Where(Tensor condition) {
        float[] c = condition.data();
        this.condition = new boolean[c.length];
        for (int i = 0; i < c.length; i++) {
            this.condition[i] = c[i] != 0;
        }
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        Tensor y = in[1];
        if (!x.shape().equals(y.shape()) || condition.length != x.size()) {
            throw new IllegalArgumentException("where: the condition (" + condition.length + " values), x " + x.shape()
                    + " and y " + y.shape() + " must have the same shape");
        }
        Tensor out = Tensor.zeros(x.shape());
        float[] o = out.data();
        for (int i = 0; i < o.length; i++) {
            o[i] = condition[i] ? x.data()[i] : y.data()[i];
        }
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(g.shape()) : null;
        Tensor dy = needsInputGrad(1) ? Tensor.zeros(g.shape()) : null;
        float[] gs = g.data();
        for (int i = 0; i < gs.length; i++) {
            if (condition[i] && dx != null) {
                dx.data()[i] = gs[i];
            } else if (!condition[i] && dy != null) {
                dy.data()[i] = gs[i];
            }
        }
        return new Tensor[] {dx, dy};
    }
}
