package dev.nabla.ops;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * The sizes of a pooling over {@code [N, C, H, W]} (or {@code [C, H, W]}, PyTorch's unbatched form): the N·C planes
 * pooled independently, each {@code H × W} into {@code OH × OW}.
 */
record PoolGeometry(Shape input, int planes, int h, int w, int oh, int ow) {
    /**
     * The geometry of pooling x with {@code window}, checked as PyTorch checks it.
     *
     * @throws IllegalArgumentException for a tensor that is not 3-D or 4-D, padding over half the window, or an
     *                                  output with no rows or columns
     */
    static PoolGeometry of(String op, Tensor x, Window2d window, boolean ceilMode) {
        checkRank(op, x);
        int reachH = window.dilationH() * (window.kernelH() - 1) + 1;
        int reachW = window.dilationW() * (window.kernelW() - 1) + 1;
        if (window.padTop() > window.kernelH() / 2 || window.padLeft() > window.kernelW() / 2
                || window.padBottom() != window.padTop() || window.padRight() != window.padLeft()) {
            throw new IllegalArgumentException(op + ": padding " + window.padTop() + "×" + window.padLeft() + " must "
                    + "be the same on both sides and at most half the " + window.kernelH() + "×" + window.kernelW()
                    + " window");
        }
        int h = x.dim(x.rank() - 2);
        int w = x.dim(x.rank() - 1);
        int oh = window.poolH(h, ceilMode);
        int ow = window.poolW(w, ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": the " + h + "×" + w + " input is smaller than the " + reachH
                    + "×" + reachW + " window (" + window + "): pool a larger input, or use a smaller window");
        }
        return new PoolGeometry(x.shape(), x.size() / (h * w), h, w, oh, ow);
    }

    static void checkRank(String op, Tensor x) {
        if (x.rank() != 4 && x.rank() != 3) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " is not [N, C, H, W] or [C, H, W]");
        }
        if (x.dim(x.rank() - 1) < 1 || x.dim(x.rank() - 2) < 1) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " has no pixels");
        }
    }

    /** The input's shape with H and W replaced by OH and OW. */
    Shape outputShape() {
        int[] dims = input.dims().clone();
        dims[dims.length - 2] = oh;
        dims[dims.length - 1] = ow;
        return Shape.of(dims);
    }
}
