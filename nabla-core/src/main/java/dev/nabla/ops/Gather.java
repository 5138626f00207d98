package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * {@code out[o, j, i] = x[o, index[o, j, i], i]} along one dimension (PyTorch's {@code torch.gather}), index of
 * x's shape but for that dimension, its values whole numbers in [0, size). Picks, say, each sample's score of its
 * target class: {@code gather(logProbabilities, 1, targets)}.
 * <p>Backward: each output element reads one input element, so dx = 0 but for {@code dx[o, index[o,j,i], i] += g[o,
 * j, i]} (summed where an index repeats).
 */
final class Gather extends Function {
    private final int dim;
    private final int[] index;
    private final Shape indexShape;
    private Shape inputShape;

    /** {@code dim} already normalised. */
    Gather(int dim, Tensor index) {
        this.dim = dim;
        this.indexShape = index.shape();
        float[] v = index.data();
        this.index = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0) {
                throw new IllegalArgumentException("gather: index " + v[i] + " at position " + i
                        + " is not a whole number of 0 or more");
            }
            this.index[i] = (int) v[i];
        }
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        inputShape = x.shape();
        if (indexShape.rank() != inputShape.rank()) {
            throw new IllegalArgumentException("gather: index " + indexShape + " must have the rank of x "
                    + inputShape);
        }
        for (int d = 0; d < inputShape.rank(); d++) {
            if (d != dim && indexShape.dim(d) != inputShape.dim(d)) {
                throw new IllegalArgumentException("gather: index " + indexShape + " must match x " + inputShape
                        + " in every dimension but " + dim);
            }
        }
        Axis source = Axis.of(inputShape, dim);
        Axis picked = Axis.of(indexShape, dim);
        Tensor y = Tensor.zeros(indexShape);
        float[] xs = x.data();
        float[] ys = y.data();
        for (int o = 0; o < picked.outer(); o++) {
            for (int j = 0; j < picked.size(); j++) {
                for (int i = 0; i < picked.inner(); i++) {
                    int at = (o * picked.size() + j) * picked.inner() + i;
                    int k = index[at];
                    if (k >= source.size()) {
                        throw new IllegalArgumentException("gather: index " + k + " is out of range for dimension "
                                + dim + " of size " + source.size());
                    }
                    ys[at] = xs[(o * source.size() + k) * source.inner() + i];
                }
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis source = Axis.of(inputShape, dim);
        Axis picked = Axis.of(indexShape, dim);
        Tensor dx = Tensor.zeros(inputShape);
        float[] d = dx.data();
        float[] gs = g.data();
        for (int o = 0; o < picked.outer(); o++) {
            for (int j = 0; j < picked.size(); j++) {
                for (int i = 0; i < picked.inner(); i++) {
                    int at = (o * picked.size() + j) * picked.inner() + i;
                    d[(o * source.size() + index[at]) * source.inner() + i] += gs[at];
                }
            }
        }
        return new Tensor[] {dx};
    }
}
