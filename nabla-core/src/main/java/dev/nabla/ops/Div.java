package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * {@code z = x / y} (element-wise), the shapes broadcast as PyTorch's ({@link Broadcast}).
 * <p>Backward: ∂z/∂x = 1/y and ∂z/∂y = −x/y² = −z/y, so {@code dx = g / y} and {@code dy = −g ⊙ z / y}, each
 * summed over the dimensions its operand was repeated along.
 */
final class Div extends Function {
    private Broadcast broadcast;
    private Tensor y;
    private Tensor z;

    @Override
    protected Tensor forward(Tensor... in) {
        broadcast = Broadcast.of("div", in[0], in[1]);
        Tensor x = broadcast.left(in[0]);
        y = broadcast.right(in[1]);
        z = Tensor.zeros(broadcast.shape());
        float[] xs = x.data();
        float[] ys = y.data();
        float[] zs = z.data();
        int c = ys.length;
        for (int i = 0; i < xs.length; i++) {
            zs[i] = xs[i] / ys[i % c];
        }
        return z;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        float[] gs = g.data();
        float[] ys = y.data();
        float[] zs = z.data();
        int c = ys.length;
        Tensor dx = null;
        Tensor dy = null;
        if (needsInputGrad(0)) {
            Tensor gx = Tensor.zeros(z.shape());
            float[] d = gx.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = gs[i] / ys[i % c];
            }
            dx = broadcast.gradLeft(gx);
        }
        if (needsInputGrad(1)) {
            Tensor gy = Tensor.zeros(z.shape());
            float[] d = gy.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = -gs[i] * zs[i] / ys[i % c];
            }
            dy = broadcast.gradRight(gy);
        }
        return new Tensor[] {dx, dy};
    }
}
