package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Erf;
import dev.nabla.tensor.Tensor;

/**
 * The Gaussian error linear unit, {@code torch.nn.functional.gelu} (Hendrycks and Gimpel 2016): each input weighted
 * by the probability that a standard normal variable is below it, in double and rounded once.
 *
 * <p>Exact form ({@link GeluApproximation#NONE}): y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)); the product rule gives
 * dy/dx = Φ(x) + x·φ(x), with the normal density φ(x) = e^{−x²/2}/√(2π).
 *
 * <p>Tanh form ({@link GeluApproximation#TANH}): y = ½x(1 + t), t = tanh(u), u = √(2/π)(x + 0.044715x³); with
 * tanh′ = 1 − t² and du/dx = √(2/π)(1 + 3·0.044715x²), dy/dx = ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 0.134145x²).
 */
final class Gelu extends Function {
    private static final double SQRT_HALF = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double CUBIC = 0.044715;

    private final GeluApproximation approximation;
    private Tensor x;

    Gelu(GeluApproximation approximation) {
        this.approximation = approximation;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        float[] xs = x.data();
        Tensor y = Tensor.zeros(x.shape());
        float[] ys = y.data();
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            ys[i] = (float) (approximation == GeluApproximation.NONE ? v * cdf(v)
                    : 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + CUBIC * v * v * v))));
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
            double v = xs[i];
            double slope;
            if (approximation == GeluApproximation.NONE) {
                slope = cdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v);
            } else {
                double t = Math.tanh(SQRT_2_OVER_PI * (v + CUBIC * v * v * v));
                slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * CUBIC * v * v);
            }
            d[i] = (float) (gs[i] * slope);
        }
        return new Tensor[] {dx};
    }

    /** Φ(x) = ½(1 + erf(x/√2)). */
    private static double cdf(double v) {
        return 0.5 * (1 + Erf.erf(v * SQRT_HALF));
    }
}
