package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Window2d;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * A 2-D convolution layer, as PyTorch's {@code nn.Conv2d}: x {@code [N, in, H, W]} → {@code [N, out, OH, OW]}, weight
 * {@code [out, in/groups, kH, kW]} and bias {@code [out]} under PyTorch's names, so that weights load one to one.
 * The arithmetic and its gradients are {@link Functional#conv2d}'s.
 *
 * <p>Initialised as PyTorch does: weight uniform in ±1/√fan_in (Kaiming uniform with a = √5), fan_in =
 * in/groups · kH · kW, and the bias uniform in the same bound ({@link Init#pytorchDefault}).
 */
public final class Conv2d extends Module {
    /**
     * The options beside the channel counts and the kernel, PyTorch's defaults first: stride 1, no padding (or
     * {@code padding="same"}, the output as large as the input, for stride 1 only), dilation 1, one group, a bias.
     *
     * @param strideH   vertical stride, at least 1
     * @param strideW   horizontal stride, at least 1
     * @param padH      zero rows above and below
     * @param padW      zero columns left and right
     * @param same      PyTorch's {@code padding="same"}: padH and padW are then ignored
     * @param dilationH vertical step between taps
     * @param dilationW horizontal step between taps
     * @param groups    channel groups; in and out must be multiples of it
     * @param bias      whether the layer has a bias
     */
    public record Options(int strideH, int strideW, int padH, int padW, boolean same, int dilationH, int dilationW,
                          int groups, boolean bias) {
        /** @throws IllegalArgumentException for a stride, dilation or groups below 1, a negative padding, or
         *                                   {@code same} with a stride */
        public Options {
            if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1 || groups < 1 || padH < 0 || padW < 0) {
                throw new IllegalArgumentException("Conv2d needs stride, dilation and groups of at least 1 and a "
                        + "padding of 0 or more, got stride " + strideH + "×" + strideW + ", padding " + padH + "×"
                        + padW + ", dilation " + dilationH + "×" + dilationW + ", groups " + groups);
            }
            if (same && (strideH != 1 || strideW != 1)) {
                throw new IllegalArgumentException("Conv2d padding \"same\" keeps the input's size, which a stride of "
                        + strideH + "×" + strideW + " cannot: give the padding as a number, or a stride of 1");
            }
        }

        /** PyTorch's defaults. */
        public static Options defaults() {
            return new Options(1, 1, 0, 0, false, 1, 1, 1, true);
        }

        /** A copy with the same stride along both dimensions. */
        public Options withStride(int stride) {
            return new Options(stride, stride, padH, padW, same, dilationH, dilationW, groups, bias);
        }

        /** A copy with the same zero padding on every side. */
        public Options withPadding(int padding) {
            return new Options(strideH, strideW, padding, padding, false, dilationH, dilationW, groups, bias);
        }

        /** A copy with {@code padH} rows above and below and {@code padW} columns left and right. */
        public Options withPadding(int padH, int padW) {
            return new Options(strideH, strideW, padH, padW, false, dilationH, dilationW, groups, bias);
        }

        /** A copy with PyTorch's {@code padding="same"}. */
        public Options withSamePadding() {
            return new Options(strideH, strideW, 0, 0, true, dilationH, dilationW, groups, bias);
        }

        /** A copy with the same dilation along both dimensions. */
        public Options withDilation(int dilation) {
            return new Options(strideH, strideW, padH, padW, same, dilation, dilation, groups, bias);
        }

        /** A copy with {@code groups} channel groups. */
        public Options withGroups(int groups) {
            return new Options(strideH, strideW, padH, padW, same, dilationH, dilationW, groups, bias);
        }

        /** A copy with or without a bias. */
        public Options withBias(boolean bias) {
            return new Options(strideH, strideW, padH, padW, same, dilationH, dilationW, groups, bias);
        }
    }

    private final int inChannels;
    private final int outChannels;
    private final Options options;
    private final Window2d window;
    private final Tensor weight;
    private final Tensor bias;

    /** A square-kernel layer with PyTorch's defaults, initialised from {@link Init#defaultGenerator()}. */
    public Conv2d(int inChannels, int outChannels, int kernel) {
        this(inChannels, outChannels, kernel, kernel, Options.defaults(), Init.defaultGenerator());
    }

    /** A square-kernel layer, initialised from {@code rng}. */
    public Conv2d(int inChannels, int outChannels, int kernel, Options options, Rng rng) {
        this(inChannels, outChannels, kernel, kernel, options, rng);
    }

    /**
     * A layer with a {@code kernelH × kernelW} kernel, initialised from {@code rng}.
     *
     * @throws IllegalArgumentException for sizes below 1, or channel counts that the groups do not divide
     */
    public Conv2d(int inChannels, int outChannels, int kernelH, int kernelW, Options options, Rng rng) {
        if (inChannels < 1 || outChannels < 1 || kernelH < 1 || kernelW < 1) {
            throw new IllegalArgumentException("Conv2d needs positive sizes, got in=" + inChannels + ", out="
                    + outChannels + ", kernel " + kernelH + "×" + kernelW);
        }
        if (inChannels % options.groups() != 0 || outChannels % options.groups() != 0) {
            throw new IllegalArgumentException("Conv2d: " + options.groups() + " groups must divide the " + inChannels
                    + " input and " + outChannels + " output channels");
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.options = options;
        this.window = options.same() ? Window2d.same(kernelH, kernelW, options.dilationH(), options.dilationW())
                : new Window2d(kernelH, kernelW, options.strideH(), options.strideW(), options.padH(), options.padH(),
                options.padW(), options.padW(), options.dilationH(), options.dilationW());
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels / options.groups(), kernelH,
                kernelW));
        this.bias = options.bias() ? registerParameter("bias", Tensor.zeros(outChannels)) : null;
        Init.pytorchDefault(weight, bias, rng);
    }

    /** Where the kernel goes over the image: stride, padding per side, dilation. */
    public Window2d window() {
        return window;
    }

    /**
     * @param x {@code [N, in, H, W]}
     * @return {@code [N, out, OH, OW]}
     * @throws IllegalArgumentException when x is not {@code [N, in, H, W]}, saying how to fix it
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d(" + inChannels + "→" + outChannels + ") got input " + x.shape()
                    + ": expected [N, " + inChannels + ", H, W]" + (x.rank() == 2 ? "; reshape flat images first, "
                    + "x.reshape(N, " + inChannels + ", H, W)" : x.rank() == 3 ? "; a single image needs a batch "
                    + "dimension, x.reshape(1, " + inChannels + ", H, W)" : ""));
        }
        return Functional.conv2d(x, weight, bias, window, options.groups());
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + window.kernelH() + ", " + window.kernelW()
                + "), stride=(" + options.strideH() + ", " + options.strideW() + ")"
                + (options.same() ? ", padding=same" : options.padH() != 0 || options.padW() != 0
                ? ", padding=(" + options.padH() + ", " + options.padW() + ")" : "")
                + (options.dilationH() != 1 || options.dilationW() != 1 ? ", dilation=(" + options.dilationH() + ", "
                + options.dilationW() + ")" : "") + (options.groups() != 1 ? ", groups=" + options.groups() : "")
                + (options.bias() ? "" : ", bias=False");
    }
}
