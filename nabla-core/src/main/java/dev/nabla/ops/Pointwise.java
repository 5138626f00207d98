package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * The shared shape of an element-wise function y = f(x) whose derivative at each element needs only x and y:
 * forward applies {@link #value} to every element (in double, rounded once), backward multiplies the upstream
 * gradient by {@link #derivative}. Each subclass is one op of the derivative table.
 */
abstract sealed class Pointwise extends Function permits Exp, Log, Log1p, Sqrt, Abs, Pow, Clamp {
    private Tensor x;
    private Tensor y;

    /** f(x). */
    abstract double value(double x);

    /** f′ at x, where y = f(x) (use whichever is cheaper). */
    abstract double derivative(double x, double y);

    @Override
    protected final Tensor forward(Tensor... in) {
        x = in[0];
        y = Tensor.zeros(x.shape());
        float[] xs = x.data();
        float[] ys = y.data();
        for (int i = 0; i < xs.length; i++) {
            ys[i] = (float) value(xs[i]);
        }
        return y;
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(x.shape());
        float[] xs = x.data();
        float[] ys = y.data();
        float[] gs = g.data();
        float[] d = dx.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (gs[i] * derivative(xs[i], ys[i]));
        }
        return new Tensor[] {dx};
    }
}
