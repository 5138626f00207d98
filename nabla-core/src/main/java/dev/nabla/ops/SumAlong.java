package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The sum, or the mean, over one dimension: {@code torch.sum(x, dim, keepdim)} and {@code torch.mean}, accumulated
 * in double as the whole-tensor {@link Sum} and {@link Mean} are.
 *
 * <p>Forward: seen as {@code [outer, n, inner]} around the dimension, {@code y[o, i] = s · Σ_k x[o, k, i]} with
 * s = 1 for the sum and 1/n for the mean (a division by n, as PyTorch); with keepDim the dimension stays, of size 1.
 * <p>Backward: ∂y[o, i]/∂x[o, k, i] = s, so dx[o, k, i] = s · g[o, i]: g broadcast back along the dimension.
 */
final class SumAlong extends Function {
    private final int dim;
    private final boolean keepDim;
    private final boolean mean;
    private Shape inputShape;

    /** {@code dim} already normalised. */
    SumAlong(int dim, boolean keepDim, boolean mean) {
        this.dim = dim;
        this.keepDim = keepDim;
        this.mean = mean;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        Axis axis = Axis.of(inputShape, dim);
        int[] dims = inputShape.dims();
        dims[dim] = 1;
        Shape kept = Shape.of(dims);
        Tensor y = Tensor.zeros(keepDim ? kept : axis.without(inputShape));
        float[] x = in[0].data();
        float[] out = y.data();
        for (int o = 0; o < axis.outer(); o++) {
            for (int i = 0; i < axis.inner(); i++) {
                double s = 0;
                for (int k = 0; k < axis.size(); k++) {
                    s += x[(o * axis.size() + k) * axis.inner() + i];
                }
                out[o * axis.inner() + i] = (float) (mean ? s / axis.size() : s);
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis axis = Axis.of(inputShape, dim);
        Tensor dx = Tensor.gradientBuffer(inputShape);
        float[] d = dx.data();
        float[] gd = g.data();
        int n = mean ? axis.size() : 1;
        for (int o = 0; o < axis.outer(); o++) {
            for (int k = 0; k < axis.size(); k++) {
                int row = (o * axis.size() + k) * axis.inner();
                for (int i = 0; i < axis.inner(); i++) {
                    d[row + i] = gd[o * axis.inner() + i] / n;
                }
            }
        }
        return new Tensor[] {dx};
    }
}
