package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Window2d;
import dev.nabla.tensor.Tensor;

/**
 * Average pooling, as PyTorch's {@code nn.AvgPool2d}: each {@code [H, W]} map of x {@code [N, C, H, W]} reduced to the
 * mean under each window ({@link Functional#avgPool2d}). No parameters.
 */
public final class AvgPool2d extends Module {
    private final Window2d window;
    private final boolean ceilMode;
    private final boolean countIncludePad;

    /** A {@code kernel × kernel} window moving by its own size. */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    /** A square window with a stride and zero padding (at most half the kernel), counted in each mean's divisor. */
    public AvgPool2d(int kernel, int stride, int padding) {
        this(Window2d.of(kernel, stride, padding, 1), false, true);
    }

    /**
     * Any window without dilation; {@code ceilMode} rounds the output size up; {@code countIncludePad} counts the
     * padding in the divisor (PyTorch's default).
     */
    public AvgPool2d(Window2d window, boolean ceilMode, boolean countIncludePad) {
        this.window = window;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.avgPool2d(x, window, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=(" + window.kernelH() + ", " + window.kernelW() + "), stride=(" + window.strideH() + ", "
                + window.strideW() + "), padding=(" + window.padTop() + ", " + window.padLeft() + ")"
                + (ceilMode ? ", ceil_mode=True" : "") + (countIncludePad ? "" : ", count_include_pad=False");
    }
}
