package dev.nabla.ops;

import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * The one broadcast the element-wise binary ops support: {@code y} has the shape of {@code x}, or is a single
 * row ({@code [C]} or {@code [1, C]}) added to every row of x, as a bias is. The gradient of a broadcast
 * operand is the sum of the upstream gradient over the rows it was repeated on.
 */
final class Broadcast {
    private Broadcast() {
    }

    /** True when y is a row repeated over x; false when the shapes are equal; an error otherwise. */
    static boolean check(String op, Tensor x, Tensor y) {
        if (x.shape().equals(y.shape())) {
            return false;
        }
        boolean row = x.rank() >= 1 && y.size() == x.dim(-1)
                && (y.rank() == 1 || y.rank() == 2 && y.dim(0) == 1 && x.rank() >= 2);
        if (!row) {
            throw new IllegalArgumentException(op + ": shapes " + x.shape() + " and " + y.shape()
                    + " do not match. The second operand must have the first's shape, or be one row of "
                    + (x.rank() >= 1 ? "[" + x.dim(-1) + "]" : "its size") + " applied to every row.");
        }
        return true;
    }

    /** The gradient for operand y: {@code g} itself when shapes matched, else its column sums in y's shape. */
    static Tensor reduceTo(Tensor g, Tensor y, boolean broadcast) {
        if (!broadcast) {
            return g;
        }
        Tensor out = Tensor.zeros(y.shape());
        Elementwise.sumRows(g.data(), out.data());
        return out;
    }
}
