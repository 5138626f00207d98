package dev.nabla.ops;

import dev.nabla.tensor.Shape;

/**
 * A tensor seen as {@code [outer, size, inner]} around one dimension: the layout the kernels walk when an op
 * works along that dimension (softmax over classes, say).
 *
 * @param dim   the dimension, counted from 0
 * @param outer product of the dimensions before it
 * @param size  its length
 * @param inner product of the dimensions after it (the stride between its entries)
 */
record Axis(int dim, int outer, int size, int inner) {
    static Axis of(Shape shape, int dim) {
        int d = shape.normalizeAxis(dim);
        int outer = 1;
        for (int i = 0; i < d; i++) {
            outer *= shape.dim(i);
        }
        int inner = 1;
        for (int i = d + 1; i < shape.rank(); i++) {
            inner *= shape.dim(i);
        }
        return new Axis(d, outer, shape.dim(d), inner);
    }

    /** The shape without this dimension: the shape of one value per row, such as a per-sample loss. */
    Shape without(Shape shape) {
        int[] dims = shape.dims();
        int[] out = new int[dims.length - 1];
        for (int i = 0, k = 0; i < dims.length; i++) {
            if (i != dim) {
                out[k++] = dims[i];
            }
        }
        return Shape.of(out);
    }
}
