package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/**
 * Adaptive average pooling, as PyTorch's {@code nn.AdaptiveAvgPool2d}: each map of x {@code [N, C, H, W]} averaged
 * into a fixed {@code outH × outW} whatever H and W are ({@link Functional#adaptiveAvgPool2d}); with 1×1, the global
 * average pooling at the end of a convolutional network. No parameters.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final int outH;
    private final int outW;

    /** A square output of {@code size × size}. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size);
    }

    /** An output of {@code outH × outW}, each at least 1. */
    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d needs an output of at least 1×1, got " + outH + "×"
                    + outW);
        }
        this.outH = outH;
        this.outW = outW;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.adaptiveAvgPool2d(x, outH, outW);
    }

    @Override
    protected String extraRepr() {
        return "output_size=(" + outH + ", " + outW + ")";
    }
}
