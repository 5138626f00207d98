package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The variance over one dimension: {@code torch.var(x, dim, correction=c, keepdim)}, accumulated in double.
 * <p>Forward: seen as {@code [outer, n, inner]}, μ = Σ_k x[o,k,i] / n and {@code y[o,i] = Σ_k (x[o,k,i] − μ)² /
 * (n − c)}, c = 1 for the unbiased estimate (PyTorch's default) and 0 for the population variance.
 * <p>Backward: ∂y/∂x[o,k,i] = 2(x[o,k,i] − μ)/(n − c) (the terms through μ sum to zero, since Σ_k (x − μ) = 0), so
 * {@code dx = g · 2(x − μ)/(n − c)}.
 */
final class VarAlong extends Function {
    private final int dim;
    private final int correction;
    private final boolean keepDim;
    private Tensor x;
    private double[] means;

    /** {@code dim} already normalised; {@code correction} 0 or more. */
    VarAlong(int dim, int correction, boolean keepDim) {
        if (correction < 0) {
            throw new IllegalArgumentException("var's correction must be 0 or more, got " + correction);
        }
        this.dim = dim;
        this.correction = correction;
        this.keepDim = keepDim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        Axis axis = Axis.of(x.shape(), dim);
        int[] dims = x.shape().dims();
        dims[dim] = 1;
        Tensor y = Tensor.zeros(keepDim ? Shape.of(dims) : axis.without(x.shape()));
        float[] xs = x.data();
        float[] out = y.data();
        means = new double[out.length];
        double divisor = axis.size() - correction;
        for (int o = 0; o < axis.outer(); o++) {
            for (int i = 0; i < axis.inner(); i++) {
                double sum = 0;
                for (int k = 0; k < axis.size(); k++) {
                    sum += xs[(o * axis.size() + k) * axis.inner() + i];
                }
                double mu = sum / axis.size();
                double squares = 0;
                for (int k = 0; k < axis.size(); k++) {
                    double dev = xs[(o * axis.size() + k) * axis.inner() + i] - mu;
                    squares += dev * dev;
                }
                means[o * axis.inner() + i] = mu;
                out[o * axis.inner() + i] = (float) (squares / divisor);
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis axis = Axis.of(x.shape(), dim);
        Tensor dx = Tensor.gradientBuffer(x.shape());
        float[] d = dx.data();
        float[] xs = x.data();
        float[] gs = g.data();
        double divisor = axis.size() - correction;
        for (int o = 0; o < axis.outer(); o++) {
            for (int k = 0; k < axis.size(); k++) {
                for (int i = 0; i < axis.inner(); i++) {
                    int j = o * axis.inner() + i;
                    int at = (o * axis.size() + k) * axis.inner() + i;
                    d[at] = (float) (gs[j] * 2 * (xs[at] - means[j]) / divisor);
                }
            }
        }
        return new Tensor[] {dx};
    }
}
