package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Window2d;
import dev.nabla.tensor.Tensor;

/**
 * Max pooling, as PyTorch's {@code nn.MaxPool2d}: each {@code [H, W]} map of x {@code [N, C, H, W]} reduced to the
 * largest value under each window ({@link Functional#maxPool2d}). No parameters.
 */
public final class MaxPool2d extends Module {
    private final Window2d window;
    private final boolean ceilMode;

    /** A {@code kernel × kernel} window moving by its own size, PyTorch's default stride. */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** A square window with a stride and padding (at most half the kernel; padding counts as −∞). */
    public MaxPool2d(int kernel, int stride, int padding) {
        this(Window2d.of(kernel, stride, padding, 1), false);
    }

    /** Any window (kernel, stride, padding, dilation); {@code ceilMode} rounds the output size up. */
    public MaxPool2d(Window2d window, boolean ceilMode) {
        this.window = window;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.maxPool2d(x, window, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + window.kernelH() + ", " + window.kernelW() + "), stride=(" + window.strideH() + ", "
                + window.strideW() + "), padding=(" + window.padTop() + ", " + window.padLeft() + "), dilation=("
                + window.dilationH() + ", " + window.dilationW() + "), ceil_mode=" + (ceilMode ? "True" : "False");
    }
}
