package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * 2-D average pooling, fixed ({@code avg_pool2d}) or adaptive ({@code adaptive_avg_pool2d}), as PyTorch computes
 * them: x {@code [N, C, H, W]} → {@code [N, C, OH, OW]}, each output the mean of the input rows
 * {@code [rowStart[i], rowEnd[i])} and columns {@code [colStart[j], colEnd[j])} under it, divided by
 * {@code divisor[i][j]}:
 * <ul>
 *   <li>fixed: window i starts at {@code i·stride − pad}; the divisor is the window's size within the padded input
 *       when padding counts ({@code count_include_pad}, the default), else the number of input entries it covers;</li>
 *   <li>adaptive: output i of OH covers rows {@code ⌊i·H/OH⌋} to {@code ⌈(i+1)·H/OH⌉}, and the divisor is their
 *       number of entries.</li>
 * </ul>
 *
 * <p>Backward: each output is a sum divided by a constant, so every input entry under it receives
 * {@code g / divisor}, summed where windows overlap.
 */
final class AvgPool2d extends Function {
    private final Windows windows;
    private Shape inputShape;

    /**
     * Where each output row and column reads, and its divisor.
     *
     * @param rowStart first input row of output row i
     * @param rowEnd   one past its last input row
     * @param colStart first input column of output column j
     * @param colEnd   one past its last input column
     * @param divisor  the divisor of output (i, j), row-major {@code [OH, OW]}
     */
    record Windows(int[] rowStart, int[] rowEnd, int[] colStart, int[] colEnd, float[] divisor) {
        /**
         * PyTorch's avg_pool2d windows over x, with {@code ceil_mode} and {@code count_include_pad}.
         *
         * @throws IllegalArgumentException for a dilated window, or as {@link PoolGeometry#of} checks
         */
        static Windows fixed(Tensor x, Window2d window, boolean ceilMode, boolean countIncludePad) {
            if (window.dilationH() != 1 || window.dilationW() != 1) {
                throw new IllegalArgumentException("avg_pool2d has no dilation, got " + window);
            }
            PoolGeometry geo = PoolGeometry.of("avg_pool2d", x, window, ceilMode);
            int[][] rows = spans(geo.oh(), geo.h(), window.kernelH(), window.strideH(), window.padTop());
            int[][] cols = spans(geo.ow(), geo.w(), window.kernelW(), window.strideW(), window.padLeft());
            float[] divisor = new float[geo.oh() * geo.ow()];
            for (int i = 0; i < geo.oh(); i++) {
                for (int j = 0; j < geo.ow(); j++) {
                    divisor[i * geo.ow() + j] = countIncludePad ? rows[2][i] * cols[2][j]
                            : (rows[1][i] - rows[0][i]) * (cols[1][j] - cols[0][j]);
                }
            }
            return new Windows(rows[0], rows[1], cols[0], cols[1], divisor);
        }

        /** Start, end (both clipped to the input) and the padded size of each window along one dimension. */
        private static int[][] spans(int out, int in, int kernel, int stride, int pad) {
            int[][] s = new int[3][out];
            for (int i = 0; i < out; i++) {
                int start = i * stride - pad;
                int end = Math.min(start + kernel, in + pad);
                s[2][i] = end - start;
                s[0][i] = Math.max(start, 0);
                s[1][i] = Math.min(end, in);
            }
            return s;
        }

        /**
         * PyTorch's adaptive_avg_pool2d windows over x, to {@code oh × ow}.
         *
         * @throws IllegalArgumentException for an input that is not 3-D or 4-D, or an output under 1×1
         */
        static Windows adaptive(Tensor x, int oh, int ow) {
            PoolGeometry.checkRank("adaptive_avg_pool2d", x);
            if (oh < 1 || ow < 1) {
                throw new IllegalArgumentException("adaptive_avg_pool2d needs an output of at least 1×1, got " + oh
                        + "×" + ow);
            }
            int h = x.dim(x.rank() - 2);
            int w = x.dim(x.rank() - 1);
            int[] rs = new int[oh];
            int[] re = new int[oh];
            int[] cs = new int[ow];
            int[] ce = new int[ow];
            for (int i = 0; i < oh; i++) {
                rs[i] = Math.floorDiv(i * h, oh);
                re[i] = -Math.floorDiv(-(i + 1) * h, oh);
            }
            for (int j = 0; j < ow; j++) {
                cs[j] = Math.floorDiv(j * w, ow);
                ce[j] = -Math.floorDiv(-(j + 1) * w, ow);
            }
            float[] divisor = new float[oh * ow];
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    divisor[i * ow + j] = (re[i] - rs[i]) * (ce[j] - cs[j]);
                }
            }
            return new Windows(rs, re, cs, ce, divisor);
        }

        int oh() {
            return rowStart.length;
        }

        int ow() {
            return colStart.length;
        }
    }

    AvgPool2d(Windows windows) {
        this.windows = windows;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        inputShape = x.shape();
        int h = x.dim(x.rank() - 2);
        int w = x.dim(x.rank() - 1);
        int planes = x.size() / (h * w);
        int oh = windows.oh();
        int ow = windows.ow();
        float[] data = x.data();
        float[] out = new float[planes * oh * ow];
        Parallel.forRange(planes, (long) planes * h * w, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float sum = 0;
                        for (int y = windows.rowStart()[i]; y < windows.rowEnd()[i]; y++) {
                            for (int xx = windows.colStart()[j]; xx < windows.colEnd()[j]; xx++) {
                                sum += data[base + y * w + xx];
                            }
                        }
                        out[(plane * oh + i) * ow + j] = sum / windows.divisor()[i * ow + j];
                    }
                }
            }
        });
        int[] dims = inputShape.dims().clone();
        dims[dims.length - 2] = oh;
        dims[dims.length - 1] = ow;
        return Tensor.wrap(out, Shape.of(dims));
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor dx = Tensor.zeros(inputShape);
        int h = inputShape.dims()[inputShape.rank() - 2];
        int w = inputShape.dims()[inputShape.rank() - 1];
        int planes = dx.size() / (h * w);
        int oh = windows.oh();
        int ow = windows.ow();
        float[] g = gradOutput.data();
        float[] d = dx.data();
        Parallel.forRange(planes, (long) planes * h * w, (from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int base = plane * h * w;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        float share = g[(plane * oh + i) * ow + j] / windows.divisor()[i * ow + j];
                        for (int y = windows.rowStart()[i]; y < windows.rowEnd()[i]; y++) {
                            for (int xx = windows.colStart()[j]; xx < windows.colEnd()[j]; xx++) {
                                d[base + y * w + xx] += share;
                            }
                        }
                    }
                }
            }
        });
        return new Tensor[] {dx};
    }
}
