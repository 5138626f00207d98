package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * {@code z = x / y} (element-wise), where y has x's shape or is one row that divides every row.
 * <p>Backward: ∂z/∂x = 1/y and ∂z/∂y = −x/y² = −z/y, so {@code dx = g / y} (y repeated over rows) and
 * {@code dy = −g ⊙ z / y}, summed over the rows where y was repeated.
 */
final class Div extends Function {
    private boolean broadcast;
    private Tensor y;
    private Tensor z;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        y = in[1];
        broadcast = Broadcast.check("div", x, y);
        z = Tensor.zeros(x.shape());
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
            dx = Tensor.zeros(z.shape());
            float[] d = dx.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = gs[i] / ys[i % c];
            }
        }
        if (needsInputGrad(1)) {
            Tensor gy = Tensor.zeros(z.shape());
            float[] d = gy.data();
            for (int i = 0; i < d.length; i++) {
                d[i] = -gs[i] * zs[i] / ys[i % c];
            }
            dy = Broadcast.reduceTo(gy, y, broadcast);
        }
        return new Tensor[] {dx, dy};
    }
}
