package dev.nabla.ops;

/**
 * Where a convolution or pooling window goes over an image: its size, its stride, the zero (or, for max pooling,
 * −∞) padding on each side, and its dilation (the step between the window's taps), as PyTorch's {@code Conv2d} and
 * pooling layers take them. Padding may differ per side: a {@code "same"} convolution with an even kernel pads one
 * more on the bottom and right, as PyTorch does.
 *
 * <p>Output size along a dimension of size {@code in}, with {@code effective = dilation · (kernel − 1) + 1}:
 * {@code (in + before + after − effective) / stride + 1}, rounded down, or for pooling's {@code ceil_mode} up, unless
 * the last window would then start in the padding after the input (PyTorch's {@code pooling_output_shape}).
 *
 * @param kernelH   window height, at least 1
 * @param kernelW   window width, at least 1
 * @param strideH   vertical step, at least 1
 * @param strideW   horizontal step, at least 1
 * @param padTop    rows of padding above
 * @param padBottom rows of padding below
 * @param padLeft   columns of padding on the left
 * @param padRight  columns of padding on the right
 * @param dilationH vertical step between taps, at least 1
 * @param dilationW horizontal step between taps, at least 1
 */
public record Window2d(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padBottom, int padLeft,
                       int padRight, int dilationH, int dilationW) {
    /** @throws IllegalArgumentException for a size, stride or dilation below 1, or a negative padding */
    public Window2d {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("a window needs kernel, stride and dilation of at least 1, got kernel "
                    + kernelH + "×" + kernelW + ", stride " + strideH + "×" + strideW + ", dilation " + dilationH
                    + "×" + dilationW);
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("padding must be 0 or more, got " + padTop + ", " + padBottom + ", "
                    + padLeft + ", " + padRight);
        }
    }

    /** A square window with the same stride, padding on every side and dilation along both dimensions. */
    public static Window2d of(int kernel, int stride, int padding, int dilation) {
        return new Window2d(kernel, kernel, stride, stride, padding, padding, padding, padding, dilation, dilation);
    }

    /**
     * PyTorch's {@code padding="same"} for a stride-1 convolution: the output keeps the input's size; the total
     * padding {@code dilation · (kernel − 1)} is split with the extra row or column at the bottom and right.
     */
    public static Window2d same(int kernelH, int kernelW, int dilationH, int dilationW) {
        int totalH = dilationH * (kernelH - 1);
        int totalW = dilationW * (kernelW - 1);
        return new Window2d(kernelH, kernelW, 1, 1, totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2,
                dilationH, dilationW);
    }

    /** The rows of output for {@code height} rows of input (floor rounding, as a convolution has it). */
    public int outH(int height) {
        return size(height, padTop, padBottom, kernelH, strideH, dilationH, false);
    }

    /** The columns of output for {@code width} columns of input (floor rounding). */
    public int outW(int width) {
        return size(width, padLeft, padRight, kernelW, strideW, dilationW, false);
    }

    /** The rows of a pooling output, with {@code ceil_mode} as PyTorch rounds it. */
    int poolH(int height, boolean ceil) {
        return size(height, padTop, padBottom, kernelH, strideH, dilationH, ceil);
    }

    /** The columns of a pooling output, with {@code ceil_mode}. */
    int poolW(int width, boolean ceil) {
        return size(width, padLeft, padRight, kernelW, strideW, dilationW, ceil);
    }

    private static int size(int in, int before, int after, int kernel, int stride, int dilation, boolean ceil) {
        int span = in + before + after - dilation * (kernel - 1) - 1;
        if (span < 0) {
            return 0;
        }
        int out = (ceil ? span + stride - 1 : span) / stride + 1;
        if (ceil && (out - 1) * stride >= in + before) {
            out--;   // the last window would start in the padding after the input
        }
        return out;
    }

    /** Like {@code kernel 3×3, stride 1×1, padding 1/1/1/1, dilation 1×1}. */
    @Override
    public String toString() {
        return "kernel " + kernelH + "×" + kernelW + ", stride " + strideH + "×" + strideW + ", padding " + padTop + "/"
                + padBottom + "/" + padLeft + "/" + padRight + ", dilation " + dilationH + "×" + dilationW;
    }
}
