package dev.nabla.ops;

import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * PyTorch's broadcasting for the element-wise binary ops: the shapes are aligned from the right, and each pair of
 * sizes must be equal or contain a 1 (a missing leading dimension counts as 1); the result has the larger size in
 * each. The gradient of an operand repeated along a dimension is the upstream gradient summed along it.
 *
 * <p>Two cases keep their fast paths: equal shapes, and {@code y} a single row ({@code [C]} or {@code [1, C]})
 * repeated over every row of {@code x}, as a bias is, which the kernels read in place. Any other broadcast expands
 * the operands to the result's shape first.
 */
final class Broadcast {
    private final Shape x;
    private final Shape y;
    private final Shape out;
    private final boolean row;

    private Broadcast(Shape x, Shape y, Shape out, boolean row) {
        this.x = x;
        this.y = y;
        this.out = out;
        this.row = row;
    }

    /**
     * How {@code x} and {@code y} combine.
     *
     * @throws IllegalArgumentException naming the op, both shapes and the dimension that does not broadcast
     */
    static Broadcast of(String op, Tensor x, Tensor y) {
        Shape xs = x.shape();
        Shape ys = y.shape();
        if (xs.equals(ys)) {
            return new Broadcast(xs, ys, xs, false);
        }
        boolean row = x.rank() >= 1 && y.size() == x.dim(-1)
                && (y.rank() == 1 || y.rank() == 2 && y.dim(0) == 1 && x.rank() >= 2);
        if (row) {
            return new Broadcast(xs, ys, xs, true);
        }
        int rank = Math.max(xs.rank(), ys.rank());
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            int a = size(xs, d - rank + xs.rank());
            int b = size(ys, d - rank + ys.rank());
            if (a != b && a != 1 && b != 1) {
                throw new IllegalArgumentException(op + ": shapes " + xs + " and " + ys + " do not broadcast: "
                        + "dimension " + (d - rank) + " (from the end) has sizes " + a + " and " + b + ", which are "
                        + "neither equal nor 1");
            }
            dims[d] = a == 1 ? b : a;
        }
        return new Broadcast(xs, ys, Shape.of(dims), false);
    }

    private static int size(Shape s, int d) {
        return d < 0 ? 1 : s.dim(d);
    }

    /** The result's shape. */
    Shape shape() {
        return out;
    }

    /** x as the op reads it: itself, or expanded to the result's shape. */
    Tensor left(Tensor t) {
        return x.equals(out) ? t : expand(t, x);
    }

    /** y as the op reads it: itself (same shape, or a row the kernels repeat), or expanded to the result's shape. */
    Tensor right(Tensor t) {
        return y.equals(out) || row ? t : expand(t, y);
    }

    /** The gradient for x: {@code g} (the result's shape) summed over the dimensions x was repeated along. */
    Tensor gradLeft(Tensor g) {
        return x.equals(out) ? g : reduce(g, x);
    }

    /** The gradient for y: {@code g} summed over the rows or dimensions y was repeated along. */
    Tensor gradRight(Tensor g) {
        if (y.equals(out)) {
            return g;
        }
        if (row) {
            Tensor sums = Tensor.zeros(y);
            Elementwise.sumRows(g.data(), sums.data());
            return sums;
        }
        return reduce(g, y);
    }

    /** For each element of the result, the position of the element of an operand of shape {@code s} it reads. */
    private int[] sources(Shape s) {
        int rank = out.rank();
        int[] strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int sd = d - rank + s.rank();
            int size = size(s, sd);
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
        int[] at = new int[out.size()];
        int[] index = new int[rank];
        for (int i = 0; i < at.length; i++) {
            int offset = 0;
            for (int d = 0; d < rank; d++) {
                offset += index[d] * strides[d];
            }
            at[i] = offset;
            for (int d = rank - 1; d >= 0 && ++index[d] == out.dim(d); d--) {
                index[d] = 0;
            }
        }
        return at;
    }

    private Tensor expand(Tensor t, Shape s) {
        int[] at = sources(s);
        Tensor e = Tensor.zeros(out);
        float[] src = t.data();
        float[] dst = e.data();
        for (int i = 0; i < at.length; i++) {
            dst[i] = src[at[i]];
        }
        return e;
    }

    private Tensor reduce(Tensor g, Shape s) {
        int[] at = sources(s);
        double[] sums = new double[s.size()];
        float[] gs = g.data();
        for (int i = 0; i < at.length; i++) {
            sums[at[i]] += gs[i];
        }
        Tensor r = Tensor.zeros(s);
        for (int i = 0; i < sums.length; i++) {
            r.data()[i] = (float) sums[i];
        }
        return r;
    }
}
