package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * The exponential linear unit, {@code torch.nn.functional.elu}: y = x for x &gt; 0, y = α(eˣ − 1) otherwise
 * (computed with expm1, in double, rounded once). Negative inputs give outputs down to −α instead of 0, so the mean
 * activation stays nearer 0 than a ReLU's and no unit dies (Clevert, Unterthiner and Hochreiter 2016).
 *
 * <p>Backward: dy/dx = 1 for x &gt; 0, and α·eˣ = y + α otherwise, so dx = g or g·α·eˣ (at x = 0 the second, as
 * PyTorch).
 */
final class Elu extends Function {
    private final double alpha;
    private Tensor x;

    Elu(double alpha) {
        this.alpha = alpha;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        float[] xs = x.data();
        Tensor y = Tensor.zeros(x.shape());
        float[] ys = y.data();
        for (int i = 0; i < xs.length; i++) {
            ys[i] = xs[i] > 0 ? xs[i] : (float) (alpha * Math.expm1(xs[i]));
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        float[] xs = x.data();
        float[] gs = g.data();
        Tensor dx = Tensor.gradientBuffer(x.shape());
        float[] d = dx.data();
        for (int i = 0; i < xs.length; i++) {
            d[i] = xs[i] > 0 ? gs[i] : (float) (gs[i] * alpha * Math.exp(xs[i]));
        }
        return new Tensor[] {dx};
    }
}
