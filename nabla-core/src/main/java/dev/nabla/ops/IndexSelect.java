package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The entries {@code indices} along one dimension, in that order, repeats allowed (PyTorch's
 * {@code index_select}): {@code out[o, j, i] = x[o, indices[j], i]}.
 * <p>Backward: {@code dx[o, indices[j], i] += g[o, j, i]}, 0 where no index points (summed where one repeats).
 */
final class IndexSelect extends Function {
    private final int dim;
    private final int[] indices;
    private Shape inputShape;

    /** {@code dim} already normalised. */
    IndexSelect(int dim, int[] indices) {
        this.dim = dim;
        this.indices = indices.clone();
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        Axis axis = Axis.of(inputShape, dim);
        for (int j = 0; j < indices.length; j++) {
            if (indices[j] < 0 || indices[j] >= axis.size()) {
                throw new IllegalArgumentException("index_select: index " + indices[j] + " (position " + j
                        + ") is out of range for dimension " + dim + " of size " + axis.size());
            }
        }
        int[] dims = inputShape.dims();
        dims[dim] = indices.length;
        Tensor y = Tensor.zeros(Shape.of(dims));
        float[] xs = in[0].data();
        float[] ys = y.data();
        for (int o = 0; o < axis.outer(); o++) {
            for (int j = 0; j < indices.length; j++) {
                System.arraycopy(xs, (o * axis.size() + indices[j]) * axis.inner(), ys,
                        (o * indices.length + j) * axis.inner(), axis.inner());
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis axis = Axis.of(inputShape, dim);
        Tensor dx = Tensor.zeros(inputShape);
        float[] d = dx.data();
        float[] gs = g.data();
        for (int o = 0; o < axis.outer(); o++) {
            for (int j = 0; j < indices.length; j++) {
                int from = (o * indices.length + j) * axis.inner();
                int to = (o * axis.size() + indices[j]) * axis.inner();
                for (int i = 0; i < axis.inner(); i++) {
                    d[to + i] += gs[from + i];
                }
            }
        }
        return new Tensor[] {dx};
    }
}
