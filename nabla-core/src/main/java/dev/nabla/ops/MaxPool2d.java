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
    private Shape inputShape;
    /** For each output, the flat index of the input entry it took. */
    private int[] argmax;

    MaxPool2d(Window2d window, boolean ceilMode) {
        this.window = window;
        this.ceilMode = ceilMode;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        PoolGeometry geo = PoolGeometry.of("max_pool2d", x, window, ceilMode);
        inputShape = x.shape();
        float[] data = x.data();
        float[] out = new float[geo.planes() * geo.oh() * geo.ow()];
        argmax = new int[out.length];
        int h = geo.h();
        int w = geo.w();
        boolean pairs = window.equals(Window2d.of(2, 2, 0, 1)) && 2 * geo.oh() <= h && 2 * geo.ow() <= w;
        Parallel.forRange(geo.planes(), (long) out.length * window.kernelH() * window.kernelW(), (from, to) -> {
            if (pairs) {
                halve(data, h, w, geo.oh(), geo.ow(), out, from, to);
                return;
            }
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
        return Tensor.wrap(out, geo.outputShape());
    }

    /**
     * The common 2×2 window with stride 2 and no padding, every window inside the image: the same choices as the
     * general loop (taps in row-major order, a later tap taken when larger or NaN), without its bounds checks.
     */
    private void halve(float[] data, int h, int w, int oh, int ow, float[] out, int from, int to) {
        for (int plane = from; plane < to; plane++) {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int i = 0; i < oh; i++) {
                int top = base + 2 * i * w;
                for (int j = 0; j < ow; j++, o++) {
                    int first = top + 2 * j;
                    int at = first;
                    float best = data[first];
                    float value = data[first + 1];
                    if (value > best || Float.isNaN(value)) {
                        best = value;
                        at = first + 1;
                    }
                    value = data[first + w];
                    if (value > best || Float.isNaN(value)) {
                        best = value;
                        at = first + w;
                    }
                    value = data[first + w + 1];
                    if (value > best || Float.isNaN(value)) {
                        best = value;
                        at = first + w + 1;
                    }
                    out[o] = best;
                    argmax[o] = at;
                }
            }
        }
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.zeros(inputShape);
        float[] g = gradOutput.data();
        float[] d = dx.data();
        for (int o = 0; o < g.length; o++) {
            d[argmax[o]] += g[o];
        }
        return new Tensor[] {dx};
    }
}
