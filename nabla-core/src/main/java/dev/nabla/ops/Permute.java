package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * The dimensions of a tensor reordered, copied into the new row-major layout: {@code torch.permute} (and
 * {@code transpose}, the permutation that swaps two dimensions) followed by {@code contiguous()}.
 *
 * <p>Forward: output dimension d is input dimension {@code order[d]}, so
 * {@code y[i_0, …, i_{r−1}] = x[j]} with {@code j_{order[d]} = i_d}.
 * <p>Backward: each output entry is one input entry, so the gradient moves back by the inverse permutation:
 * dx = permute(g, order⁻¹).
 */
final class Permute extends Function {
    private final int[] order;

    /** {@code order} already checked to be a permutation of the input's dimensions. */
    Permute(int[] order) {
        this.order = order.clone();
    }

    /** {@code x} with its dimensions in {@code order}: output dimension d is input dimension order[d]. */
    static Tensor permute(Tensor x, int... order) {
        int rank = x.shape().rank();
        if (order.length != rank) {
            throw new IllegalArgumentException("permute of a tensor of shape " + x.shape() + " needs " + rank
                    + " dimensions, got " + order.length + " " + Arrays.toString(order));
        }
        int[] normal = new int[rank];
        boolean[] seen = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            normal[d] = x.shape().normalizeAxis(order[d]);
            if (seen[normal[d]]) {
                throw new IllegalArgumentException("permute's dimensions " + Arrays.toString(order) + " name dimension "
                        + normal[d] + " twice: give each of 0.." + (rank - 1) + " once");
            }
            seen[normal[d]] = true;
        }
        return Function.apply(new Permute(normal), x);
    }

    /** {@code x} with dimensions {@code dim0} and {@code dim1} swapped. */
    static Tensor transpose(Tensor x, int dim0, int dim1) {
        int[] order = new int[x.shape().rank()];
        for (int d = 0; d < order.length; d++) {
            order[d] = d;
        }
        int a = x.shape().normalizeAxis(dim0);
        int b = x.shape().normalizeAxis(dim1);
        order[a] = b;
        order[b] = a;
        return Function.apply(new Permute(order), x);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        int[] dims = new int[order.length];
        for (int d = 0; d < order.length; d++) {
            dims[d] = x.shape().dim(order[d]);
        }
        Tensor y = Tensor.zeros(dims);
        permute(x.data(), x.shape(), order, y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int[] inverse = new int[order.length];
        for (int d = 0; d < order.length; d++) {
            inverse[order[d]] = d;
        }
        int[] dims = new int[order.length];
        for (int d = 0; d < order.length; d++) {
            dims[d] = g.shape().dim(inverse[d]);
        }
        Tensor dx = Tensor.gradientBuffer(Shape.of(dims));
        permute(g.data(), g.shape(), inverse, dx.data());
        return new Tensor[] {dx};
    }

    /**
     * Writes {@code x} (of {@code shape}) into {@code out} with its dimensions in {@code order}: walks the output in
     * row-major order, stepping through x by the strides of the dimensions each output index moves.
     */
    private static void permute(float[] x, Shape shape, int[] order, float[] out) {
        int rank = order.length;
        int[] inStride = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) {
            inStride[d] = s;
            s *= shape.dim(d);
        }
        int[] size = new int[rank];
        int[] stride = new int[rank];
        for (int d = 0; d < rank; d++) {
            size[d] = shape.dim(order[d]);
            stride[d] = inStride[order[d]];
        }
        int[] index = new int[rank];
        int from = 0;
        for (int i = 0; i < out.length; i++) {
            out[i] = x[from];
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                from += stride[d];
                if (index[d] < size[d]) {
                    break;
                }
                from -= stride[d] * size[d];
                index[d] = 0;
            }
        }
    }
}
