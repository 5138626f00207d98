package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The largest (or smallest) value over one dimension: {@code torch.max(x, dim, keepdim).values} and {@code min}.
 * <p>Forward: seen as {@code [outer, n, inner]}, {@code y[o, i] = max_k x[o, k, i]}, the first index of the extreme
 * kept (a NaN counts as the extreme, as in PyTorch); with keepDim the dimension stays, of size 1.
 * <p>Backward: ∂y[o, i]/∂x[o, k, i] is 1 at that index and 0 elsewhere, so dx[o, k*, i] = g[o, i], 0 elsewhere.
 */
final class MaxAlong extends Function {
    private final int dim;
    private final boolean keepDim;
    private final boolean min;
    private Shape inputShape;
    private int[] argument;

    /** {@code dim} already normalised; {@code min} for the smallest. */
    MaxAlong(int dim, boolean keepDim, boolean min) {
        this.dim = dim;
        this.keepDim = keepDim;
        this.min = min;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        Axis axis = Axis.of(inputShape, dim);
        if (axis.size() == 0) {
            throw new IllegalArgumentException((min ? "min" : "max") + " over dimension " + dim + " of " + inputShape
                    + ", which is empty: there is no extreme of no values");
        }
        int[] dims = inputShape.dims();
        dims[dim] = 1;
        Tensor y = Tensor.zeros(keepDim ? Shape.of(dims) : axis.without(inputShape));
        float[] x = in[0].data();
        float[] out = y.data();
        argument = new int[out.length];
        for (int o = 0; o < axis.outer(); o++) {
            for (int i = 0; i < axis.inner(); i++) {
                int best = 0;
                float v = x[o * axis.size() * axis.inner() + i];
                for (int k = 1; k < axis.size() && !Float.isNaN(v); k++) {
                    float c = x[(o * axis.size() + k) * axis.inner() + i];
                    if (Float.isNaN(c) || (min ? c < v : c > v)) {
                        v = c;
                        best = k;
                    }
                }
                out[o * axis.inner() + i] = v;
                argument[o * axis.inner() + i] = best;
            }
        }
        return y;
    }

    /** The index along the dimension where each extreme was found (PyTorch's {@code .indices}). */
    int[] indices() {
        return argument.clone();
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis axis = Axis.of(inputShape, dim);
        Tensor dx = Tensor.gradientBuffer(inputShape);
        float[] d = dx.data();
        java.util.Arrays.fill(d, 0f);
        float[] gs = g.data();
        for (int o = 0; o < axis.outer(); o++) {
            for (int i = 0; i < axis.inner(); i++) {
                int j = o * axis.inner() + i;
                d[(o * axis.size() + argument[j]) * axis.inner() + i] = gs[j];
            }
        }
        return new Tensor[] {dx};
    }
}
