package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * 2-D max pooling as PyTorch's {@code max_pool2d}: x {@code [N, C, H, W]} → {@code [N, C, OH, OW]}, each output the
 * largest input under its {@link Window2d} (padding counts as −∞, so it is never chosen; a NaN in the window is the
 * maximum, the last NaN as in PyTorch), OH and OW rounded down or, with {@code ceilMode}, up.
 *
 * <p>Backward: the derivative of a maximum is 1 for the entry that attained it and 0 for the others, so each
 * output's gradient goes to the input position the forward pass chose (the first of equal values, in the window's
 * row-major order), summed where windows overlap.
 */
final class MaxPool2d extends Function {
    private final Window2d window;
    private final boolean ceilMode;
    private PoolGeometry geo;
    /** For each output, the flat index of the input entry it took; null on the 2×2 fast path, which keeps: */
    private int[] argmax;
    /** The input and output data of the 2×2 fast path, from which backward finds the winners again. */
    private float[] input;
    private float[] output;

    MaxPool2d(Window2d window, boolean ceilMode) {
        this.window = window;
        this.ceilMode = ceilMode;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        geo = PoolGeometry.of("max_pool2d", x, window, ceilMode);
        float[] data = x.data();
        Tensor result = Tensor.activationBuffer(geo.outputShape());
        float[] out = result.data();
        int h = geo.h();
        int w = geo.w();
        boolean pairs = window.equals(Window2d.of(2, 2, 0, 1)) && 2 * geo.oh() <= h && 2 * geo.ow() <= w;
        if (pairs) {
            argmax = null;
            input = data;
            output = out;
            Parallel.forRange(geo.planes(), 4L * out.length,
                    (from, to) -> halve(data, h, w, geo.oh(), geo.ow(), out, from, to));
            return result;
        }
        argmax = new int[out.length];
        Parallel.forRange(geo.planes(), (long) out.length * window.kernelH() * window.kernelW(), (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * h * w;
                int o = plane * geo.oh() * geo.ow();
                for (int i = 0; i < geo.oh(); i++) {
                    for (int j = 0; j < geo.ow(); j++, o++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int at = -1;
                        for (int u = 0; u < window.kernelH(); u++) {
                            int y = i * window.strideH() - window.padTop() + u * window.dilationH();
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            for (int v = 0; v < window.kernelW(); v++) {
                                int xx = j * window.strideW() - window.padLeft() + v * window.dilationW();
                                if (xx < 0 || xx >= w) {
                                    continue;
                                }
                                int idx = base + y * w + xx;
                                float value = data[idx];
                                if (at < 0 || value > best || Float.isNaN(value)) {
                                    best = value;
                                    at = idx;
                                }
                            }
                        }
                        out[o] = best;
                        argmax[o] = at;
                    }
                }
            }
        });
        return result;
    }

    /**
     * The common 2×2 window with stride 2 and no padding, every window inside the image: the largest of the four
     * taps (a NaN if any is NaN) by {@link Math#max}, which compiles to a few branch-free instructions, where tracking
     * which tap won would branch on what is, for real activations, a coin toss (ten times slower, measured). The
     * backward pass finds the winner again from the input and the output. The one difference from PyTorch: of a
     * −0 and a +0 in one window the output is +0 (PyTorch keeps the first); the gradient goes to the same tap.
     */
    private static void halve(float[] data, int h, int w, int oh, int ow, float[] out, int from, int to) {
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = base + 2 * i * w;
                for (int j = 0; j < ow; j++, o++) {
                    int first = top + 2 * j;
                    out[o] = Math.max(Math.max(data[first], data[first + 1]),
                            Math.max(data[first + w], data[first + w + 1]));
                }
            }
        }
    }

    /**
     * The backward pass of {@link #halve}: each output's gradient goes to the first tap (row-major) equal to the
     * output, or, for a NaN output, to the last NaN tap, as the general loop chooses. The choice is made with bit
     * masks rather than branches, and every tap of every window is written (the winner's gradient or 0); the
     * positions no window covers are zeroed by {@link #zeroOutside}, so the gradient buffer needs no zeroing first.
     */
    private static void unhalve(float[] data, float[] out, float[] g, int h, int w, int oh, int ow, float[] dx,
            int from, int to) {
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = base + 2 * i * w;
                for (int j = 0; j < ow; j++, o++) {
                    int first = top + 2 * j;
                    float m = out[o];
                    int grad = Float.floatToRawIntBits(g[o]);
                    int a;
                    int b;
                    int c;
                    if (m == m) {   // all ones where the tap equals the maximum
                        a = data[first] == m ? -1 : 0;
                        b = data[first + 1] == m ? -1 : 0;
                        c = data[first + w] == m ? -1 : 0;
                    } else {   // a NaN won: the last NaN tap takes the gradient, so "equal" reads "no NaN after"
                        float d = data[first + w + 1];
                        c = d != d ? 0 : data[first + w] != data[first + w] ? -1 : 0;
                        b = d != d || c != 0 ? 0 : data[first + 1] != data[first + 1] ? -1 : 0;
                        a = d != d || c != 0 || b != 0 ? 0 : -1;
                    }
                    dx[first] = Float.intBitsToFloat(grad & a);
                    dx[first + 1] = Float.intBitsToFloat(grad & ~a & b);
                    dx[first + w] = Float.intBitsToFloat(grad & ~a & ~b & c);
                    dx[first + w + 1] = Float.intBitsToFloat(grad & ~(a | b | c));
                }
            }
        }
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.gradientBuffer(geo.input());
        float[] g = gradOutput.data();
        float[] d = dx.data();
        int perPlane = geo.oh() * geo.ow();
        int inPlane = geo.h() * geo.w();
        // every window lies in one plane, so the planes can be filled side by side
        Parallel.forRange(geo.planes(), 4L * g.length, (from, to) -> {
            if (argmax == null) {
                unhalve(input, output, g, geo.h(), geo.w(), geo.oh(), geo.ow(), d, from, to);
                zeroOutside(d, from, to);
                return;
            }
            java.util.Arrays.fill(d, from * inPlane, to * inPlane, 0f);
            for (int o = from * perPlane; o < to * perPlane; o++) {
                d[argmax[o]] += g[o];
            }
        });
        return new Tensor[] {dx};
    }

    /** Zeroes the last row and column of an odd-sized plane, which no 2×2 window covers. */
    private void zeroOutside(float[] d, int from, int to) {
        for (int plane = from; plane < to; plane++) {
            int base = plane * geo.h() * geo.w();
            for (int y = 0; y < geo.h(); y++) {
                int start = y < 2 * geo.oh() ? 2 * geo.ow() : 0;
                java.util.Arrays.fill(d, base + y * geo.w() + start, base + (y + 1) * geo.w(), 0f);
            }
        }
    }
}
