package dev.nabla.tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * The immutable dimensions of a tensor, outermost first: {@code [N, C]} is N rows of C values, stored row-major.
 * A shape of rank 0 ({@code []}) is a scalar and holds one value.
 */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a negative dimension");
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims)
                        + " holds more values than a Java array can (2^31 - 9)");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /** The shape with these dimensions, outermost first; no dimensions means a scalar. */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** Number of dimensions (0 for a scalar). */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; a negative axis counts from the end ({@code -1} is the last). */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    /** Total number of values: the product of the dimensions (1 for a scalar). */
    public int size() {
        return size;
    }

    /** A copy of the dimensions. */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The multi-dimensional index of the element at row-major index {@code flat}, such as {@code [2, 7]}: where a
     * value found by a flat search (a NaN, a failing gradient entry) sits.
     */
    public int[] position(int flat) {
        Objects.checkIndex(flat, size);
        int[] pos = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            pos[d] = flat % dims[d];
            flat /= dims[d];
        }
        return pos;
    }

    /** Turns an axis that may count from the end into one in {@code [0, rank)}, or explains why it cannot. */
    public int normalizeAxis(int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for a tensor of shape " + this
                    + " (rank " + dims.length + "): use an axis in [" + -dims.length + ", " + (dims.length - 1) + "]");
        }
        return a;
    }

    /**
     * The shape a reshape to {@code newDims} gives, where one entry may be {@code -1} to mean "whatever is left".
     *
     * @throws IllegalArgumentException when the sizes do not match, naming both shapes
     */
    public Shape reshape(int... newDims) {
        int[] out = newDims.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (inferred >= 0) {
                    throw new IllegalArgumentException("reshape " + this + " to " + Arrays.toString(newDims)
                            + ": only one dimension may be -1");
                }
                inferred = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape " + this + " to " + Arrays.toString(newDims)
                        + ": dimensions must be positive, or -1 for one inferred dimension");
            } else {
                known *= out[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + this + " (" + size + " values) to "
                        + Arrays.toString(newDims) + ": " + size + " is not a multiple of " + known);
            }
            out[inferred] = (int) (size / known);
            known *= out[inferred];
        }
        if (known != size) {
            throw new IllegalArgumentException("cannot reshape " + this + " (" + size + " values) to "
                    + Arrays.toString(newDims) + " (" + known + " values): the number of values must stay the same");
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Like PyTorch's {@code torch.Size}, written {@code [128, 784]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
