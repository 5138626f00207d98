package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensors joined along one dimension, in order: {@code torch.cat}. Behind {@link Functional#cat} and
 * {@link Functional#stack} (a cat of the inputs each given a new dimension of size 1 by a reshape).
 *
 * <p>Forward: seen as {@code [outer, size_j, inner]} around the dimension, row o of the output is the rows o of the
 * inputs laid end to end, {@code size = Σ size_j}.
 * <p>Backward: each output entry is one input entry, so input j's gradient is its own block of g: the
 * {@code size_j} rows that start at {@code Σ_{m<j} size_m} in every outer row.
 */
final class Cat extends Function {
    private final int dim;
    private Shape[] shapes;

    /** {@code dim} already normalised; the inputs checked to agree off it. */
    Cat(int dim) {
        this.dim = dim;
    }

    /** The tensors joined along {@code dim}; they must agree in every other dimension. */
    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat needs at least one tensor, got an empty list");
        }
        Shape first = tensors.get(0).shape();
        int d = first.normalizeAxis(dim);
        for (int j = 1; j < tensors.size(); j++) {
            Shape s = tensors.get(j).shape();
            boolean fits = s.rank() == first.rank();
            for (int k = 0; fits && k < s.rank(); k++) {
                fits = k == d || s.dim(k) == first.dim(k);
            }
            if (!fits) {
                throw new IllegalArgumentException("cat along dimension " + d + ": tensor " + j + " has shape " + s
                        + " but tensor 0 has " + first + "; all must have the same shape except along dimension " + d);
            }
        }
        return Function.apply(new Cat(d), tensors.toArray(Tensor[]::new));
    }

    /** The tensors, all of one shape, stacked along a new dimension {@code dim} (in [−rank − 1, rank]). */
    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack needs at least one tensor, got an empty list");
        }
        Shape first = tensors.get(0).shape();
        int rank = first.rank();
        int d = dim < 0 ? dim + rank + 1 : dim;
        if (d < 0 || d > rank) {
            throw new IllegalArgumentException("stack's new dimension " + dim + " is out of range for tensors of rank "
                    + rank + ": use one in [" + (-rank - 1) + ", " + rank + "]");
        }
        int[] dims = new int[rank + 1];
        for (int k = 0, i = 0; k <= rank; k++) {
            dims[k] = k == d ? 1 : first.dim(i++);
        }
        List<Tensor> unsqueezed = new ArrayList<>();
        for (int j = 0; j < tensors.size(); j++) {
            Shape s = tensors.get(j).shape();
            if (!s.equals(first)) {
                throw new IllegalArgumentException("stack needs tensors of one shape: tensor " + j + " has shape " + s
                        + " but tensor 0 has " + first);
            }
            unsqueezed.add(tensors.get(j).reshape(dims));
        }
        return cat(unsqueezed, d);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        shapes = new Shape[in.length];
        int total = 0;
        for (int j = 0; j < in.length; j++) {
            shapes[j] = in[j].shape();
            total += shapes[j].dim(dim);
        }
        int[] dims = shapes[0].dims();
        dims[dim] = total;
        Tensor y = Tensor.zeros(dims);
        Axis axis = Axis.of(y.shape(), dim);
        float[] out = y.data();
        int row = total * axis.inner();
        int offset = 0;
        for (Tensor t : in) {
            int block = t.shape().dim(dim) * axis.inner();
            float[] x = t.data();
            for (int o = 0; o < axis.outer(); o++) {
                System.arraycopy(x, o * block, out, o * row + offset, block);
            }
            offset += block;
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis axis = Axis.of(g.shape(), dim);
        int row = axis.size() * axis.inner();
        float[] gd = g.data();
        Tensor[] grads = new Tensor[shapes.length];
        int offset = 0;
        for (int j = 0; j < shapes.length; j++) {
            int block = shapes[j].dim(dim) * axis.inner();
            if (needsInputGrad(j)) {
                grads[j] = Tensor.gradientBuffer(shapes[j]);
                float[] d = grads[j].data();
                for (int o = 0; o < axis.outer(); o++) {
                    System.arraycopy(gd, o * row + offset, d, o * block, block);
                }
            }
            offset += block;
        }
        return grads;
    }
}
