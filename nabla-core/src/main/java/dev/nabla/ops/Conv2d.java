package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Gemm;
import dev.nabla.kernel.Parallel;
import dev.nabla.kernel.Sums;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * A 2-D convolution as PyTorch's {@code conv2d} computes it (a cross-correlation): x {@code [N, C, H, W]}, weight
 * {@code [OC, C/groups, kH, kW]}, bias {@code [OC]} or none, out {@code [N, OC, OH, OW]} with OH and OW from the
 * {@link Window2d}. Channels fall into {@code groups} groups; output channel o of group g sees only that group's
 * C/groups input channels:
 * <pre>
 * out[n, o, i, j] = b[o] + Σ_{c, u, v} W[o, c, u, v] · x[n, g·C/groups + c, i·sH − padTop + u·dH, j·sW − padLeft + v·dW]
 * </pre>
 * with x read as 0 outside the image.
 *
 * <p>Computed as one matrix product per group over the unfolded input (im2col): the columns
 * {@code X_col [K, N·P]}, K = C/groups · kH · kW rows (one per tap of the window), a column per sample and output
 * position (P = OH · OW), so that {@code Y [OC/groups, N·P] = W_g [OC/groups, K] · X_col} is one large {@link Gemm}
 * on the worker team. The samples go through in chunks whose columns stay under 8 MB, so memory does not grow with
 * the batch (an evaluation batch of 1,000 images included).
 *
 * <p>Backward, per group and chunk, with G the upstream gradient laid out as Y:
 * <ul>
 *   <li>{@code ∂L/∂W_g = G · X_colᵀ} (summed over the chunks; the columns are unfolded again rather than kept);</li>
 *   <li>{@code ∂L/∂b[o] = Σ_{n, i, j} G[n, o, i, j]};</li>
 *   <li>{@code ∂L/∂X_col = W_gᵀ · G}, folded back (col2im): each input pixel receives the sum over every window
 *       tap that read it, which is the transposed convolution.</li>
 * </ul>
 */
final class Conv2d extends Function {
    /** The unfolded input of one chunk of samples stays under this many floats. */
    static final int COLUMN_BUDGET = 1 << 21;

    private final Window2d window;
    private final int groups;
    private Tensor x;
    private Tensor weight;
    private boolean hasBias;
    private Geometry geo;

    /** A square window of {@code weight}'s kernel with one stride and one padding on every side. */
    static Window2d window(Tensor weight, int stride, int padding) {
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("conv2d: weight " + weight.shape() + " is not [out, in, kH, kW]");
        }
        return new Window2d(weight.dim(2), weight.dim(3), stride, stride, padding, padding, padding, padding, 1, 1);
    }

    Conv2d(Window2d window, int groups) {
        this.window = window;
        this.groups = groups;
    }

    /** The sizes of one convolution, and the unfolding both passes share. */
    private record Geometry(Window2d win, int n, int c, int h, int w, int oc, int oh, int ow, int groups) {
        int cg() {
            return c / groups;
        }

        int ocg() {
            return oc / groups;
        }

        int taps() {
            return win.kernelH() * win.kernelW();
        }

        /** K: the rows of the unfolded input of a group. */
        int k() {
            return cg() * taps();
        }

        /** P: output positions per sample. */
        int p() {
            return oh * ow;
        }

        /** Samples per chunk: as many as keep the columns under the budget, at least one. */
        int chunk() {
            return (int) Math.max(1, Math.min(n, COLUMN_BUDGET / Math.max(1L, (long) k() * p())));
        }

        /**
         * Unfolds samples {@code [n0, n0 + m)} of group g into {@code cols [K, m·P]}: row (c, u, v), column
         * (s, i, j) holds x[n0 + s, g·Cg + c, i·sH − padTop + u·dH, j·sW − padLeft + v·dW], or 0 outside the image.
         */
        void unfold(float[] x, int g, int n0, int m, float[] cols) {
            int width = m * p();
            Parallel.forRange(k(), (long) k() * width, (from, to) -> {
                for (int row = from; row < to; row++) {
                    int ch = row / taps();
                    int u = row % taps() / win.kernelW();
                    int v = row % win.kernelW();
                    int base = row * width;
                    for (int s = 0; s < m; s++) {
                        int plane = ((n0 + s) * c + g * cg() + ch) * h * w;
                        int at = base + s * p();
                        if (rowsFollowOn()) {
                            tapPlane(x, plane, u, v, cols, at);
                            continue;
                        }
                        for (int i = 0; i < oh; i++, at += ow) {
                            int y = i * win.strideH() - win.padTop() + u * win.dilationH();
                            if (y < 0 || y >= h) {
                                Arrays.fill(cols, at, at + ow, 0f);
                                continue;
                            }
                            tapRow(x, plane + y * w, v, cols, at);
                        }
                    }
                }
            });
        }

        /**
         * Whether a tap's output rows read consecutive rows of the image, each as long as an output row: stride 1
         * and as many output as input columns (a "same" convolution), so that the part of a tap's plane that lies
         * inside the image is one contiguous run of the input.
         */
        private boolean rowsFollowOn() {
            return win.strideH() == 1 && win.strideW() == 1 && ow == w;
        }

        /**
         * One tap's whole output plane when {@link #rowsFollowOn}: one copy of the run of input rows it reads, then
         * zeros where its window hangs over the top, bottom, left or right edge. The copy's ends may reach past the
         * array; those are edge positions, zeroed after.
         */
        private void tapPlane(float[] x, int plane, int u, int v, float[] cols, int at) {
            int rowOffset = rowOffset(u);
            int i0 = firstRowInside(u);
            int i1 = endRowInside(u);
            int src = plane + (i0 + rowOffset) * w + v * win.dilationW() - win.padLeft();
            int dst = at + i0 * ow;
            int len = (i1 - i0) * ow;
            int skip = Math.max(0, -src);
            int copy = Math.max(0, Math.min(len, x.length - src) - skip);
            System.arraycopy(x, src + skip, cols, dst + skip, copy);
            Arrays.fill(cols, at, dst, 0f);
            Arrays.fill(cols, dst + len, at + oh * ow, 0f);
            zeroEdges(cols, at, i0, i1, firstInside(v), endInside(v));
        }

        /**
         * Zeroes the columns {@code [0, first)} and {@code [last, ow)} of the output rows {@code [i0, i1)} of the
         * plane at {@code at}: the positions where a tap's window hangs over the left or right edge, a column or two
         * per row: column by column, since a loop per row over one or two entries costs more than the stores.
         */
        private void zeroEdges(float[] cols, int at, int i0, int i1, int first, int last) {
            for (int j = 0; j < first; j++) {
                zeroColumn(cols, at, i0, i1, j);
            }
            for (int j = last; j < ow; j++) {
                zeroColumn(cols, at, i0, i1, j);
            }
        }

        /** Zeroes column j of the output rows {@code [i0, i1)} of the plane at {@code at}. */
        private void zeroColumn(float[] cols, int at, int i0, int i1, int j) {
            for (int i = i0; i < i1; i++) {
                cols[at + i * ow + j] = 0f;
            }
        }

        /**
         * The transpose of {@link #tapPlane}: one tap's whole output plane in cols, added into the image plane it was
         * read from as one run, when {@link #rowsFollowOn}. The entries whose window hung over the left or right edge
         * belong to no pixel, and within the run they fall on the neighbouring row's end: they are zeroed first (cols
         * is scratch), so that one loop over the run adds every row.
         */
        private void addTapPlane(float[] cols, int at, int u, int v, float[] dx, int plane) {
            int i0 = firstRowInside(u);
            int i1 = endRowInside(u);
            int first = firstInside(v);
            int last = endInside(v);
            if (i0 == i1 || first == last) {
                return;
            }
            zeroEdges(cols, at, i0, i1, first, last);
            int src = at + i0 * ow + first;
            int dst = plane + (i0 + rowOffset(u)) * w + v * win.dilationW() - win.padLeft() + first;
            int len = (i1 - 1 - i0) * ow + last - first;
            for (int q = 0; q < len; q++) {   // a loop the compiler vectorises
                dx[dst + q] += cols[src + q];
            }
        }

        /** When {@link #rowsFollowOn}: output row i of tap row u reads image row i + rowOffset(u). */
        private int rowOffset(int u) {
            return u * win.dilationH() - win.padTop();
        }

        /** When {@link #rowsFollowOn}: the first output row at which tap row u reads inside the image. */
        private int firstRowInside(int u) {
            return Math.max(0, Math.min(oh, -rowOffset(u)));
        }

        /** When {@link #rowsFollowOn}: one past the last output row at which tap row u reads inside the image. */
        private int endRowInside(int u) {
            return Math.max(firstRowInside(u), Math.min(oh, h - rowOffset(u)));
        }

        /** The first output column j at which tap column v reads inside the image: j·sW − padLeft + v·dW ≥ 0. */
        private int firstInside(int v) {
            int offset = v * win.dilationW() - win.padLeft();
            return offset >= 0 ? 0 : Math.min(ow, (-offset + win.strideW() - 1) / win.strideW());
        }

        /** One past the last output column j at which tap column v reads inside the image (at least firstInside). */
        private int endInside(int v) {
            int offset = v * win.dilationW() - win.padLeft();
            int end = offset >= w ? 0 : Math.min(ow, (w - 1 - offset) / win.strideW() + 1);
            return Math.max(end, firstInside(v));
        }

        /** One output row of one tap: cols[at + j] = x[rowStart + j·sW − padLeft + v·dW], 0 outside. */
        private void tapRow(float[] x, int rowStart, int v, float[] cols, int at) {
            int offset = v * win.dilationW() - win.padLeft();
            int sw = win.strideW();
            int first = firstInside(v);
            int last = endInside(v);
            Arrays.fill(cols, at, at + first, 0f);
            if (sw == 1) {
                System.arraycopy(x, rowStart + first + offset, cols, at + first, last - first);
            } else {
                for (int j = first; j < last; j++) {
                    cols[at + j] = x[rowStart + j * sw + offset];
                }
            }
            Arrays.fill(cols, at + last, at + ow, 0f);
        }

        /**
         * The transpose of {@link #unfold}: the input gradient of samples {@code [n0, n0 + m)} and group g, each pixel
         * the sum of the entries of {@code cols [K, m·P]} read from it (written whole: dx needs no zeroing first).
         */
        void fold(float[] cols, int g, int n0, int m, float[] dx) {
            int width = m * p();
            // split by channel: the taps of one channel add into that channel's planes only
            Parallel.forRange(cg(), (long) k() * width, (from, to) -> {
                for (int ch = from; ch < to; ch++) {
                    foldChannel(cols, g, n0, m, dx, ch, width);
                }
            });
        }

        /** Adds the taps of channel {@code ch} back into its planes of dx, which it zeroes first. */
        private void foldChannel(float[] cols, int g, int n0, int m, float[] dx, int ch, int width) {
            for (int s = 0; s < m; s++) {
                int plane = ((n0 + s) * c + g * cg() + ch) * h * w;
                Arrays.fill(dx, plane, plane + h * w, 0f);
            }
            int row = ch * taps();
            for (int u = 0; u < win.kernelH(); u++) {
                for (int v = 0; v < win.kernelW(); v++, row++) {
                    int offset = v * win.dilationW() - win.padLeft();
                    int sw = win.strideW();
                    int first = firstInside(v);
                    int last = endInside(v);
                    for (int s = 0; s < m; s++) {
                        int plane = ((n0 + s) * c + g * cg() + ch) * h * w;
                        int at = row * width + s * p();
                        if (rowsFollowOn()) {
                            addTapPlane(cols, at, u, v, dx, plane);
                            continue;
                        }
                        for (int i = 0; i < oh; i++, at += ow) {
                            int y = i * win.strideH() - win.padTop() + u * win.dilationH();
                            if (y < 0 || y >= h) {
                                continue;
                            }
                            int rowStart = plane + y * w + offset;
                            if (sw == 1) {   // a loop the compiler vectorises
                                for (int j = first; j < last; j++) {
                                    dx[rowStart + j] += cols[at + j];
                                }
                                continue;
                            }
                            for (int j = first; j < last; j++) {
                                dx[rowStart + j * sw] += cols[at + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The calling thread's buffers for the unfolded input and the product of a chunk, kept between calls: a step of
     * a CNN would otherwise allocate (and the collector reclaim) tens of megabytes per convolution. An op uses them
     * only within one forward or backward call, so the layers of a network share them.
     */
    private static final class Workspace {
        static final ThreadLocal<Workspace> CURRENT = ThreadLocal.withInitial(Workspace::new);
        private float[] columns = new float[0];
        private float[] product = new float[0];

        float[] columns(int size) {
            if (columns.length < size) {
                columns = new float[size];
            }
            return columns;
        }

        float[] product(int size) {
            if (product.length < size) {
                product = new float[size];
            }
            return product;
        }
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        weight = in[1];
        Tensor bias = in[2];
        hasBias = bias != null;
        geo = geometry(x, weight, bias);
        int p = geo.p();
        int chunk = geo.chunk();
        Workspace work = Workspace.CURRENT.get();
        float[] cols = work.columns(geo.k() * chunk * p);
        float[] product = work.product(geo.ocg() * chunk * p);
        Tensor output = Tensor.activationBuffer(Shape.of(geo.n(), geo.oc(), geo.oh(), geo.ow()));
        float[] out = output.data();
        for (int g = 0; g < groups; g++) {
            float[] wg = groupWeight(g);
            for (int n0 = 0; n0 < geo.n(); n0 += chunk) {
                int m = Math.min(chunk, geo.n() - n0);
                geo.unfold(x.data(), g, n0, m, cols);
                Gemm.ab(wg, cols, product, geo.ocg(), geo.k(), m * p, false);
                int group = g;
                int first = n0;
                Parallel.forRange(m * geo.ocg(), (long) m * geo.ocg() * p, (from, to) -> {
                    for (int row = from; row < to; row++) {   // row = (sample s, channel o of the group)
                        int s = row / geo.ocg();
                        int channel = group * geo.ocg() + row % geo.ocg();
                        int dst = ((first + s) * geo.oc() + channel) * p;
                        int src = row % geo.ocg() * m * p + s * p;
                        float b = hasBias ? bias.data()[channel] : 0f;
                        for (int q = 0; q < p; q++) {
                            out[dst + q] = product[src + q] + b;
                        }
                    }
                });
            }
        }
        return output;
    }

    /** Group g's rows of the weight, {@code [OC/groups, K]}: the weight itself when there is one group. */
    private float[] groupWeight(int g) {
        int size = geo.ocg() * geo.k();
        return groups == 1 ? weight.data() : Arrays.copyOfRange(weight.data(), g * size, (g + 1) * size);
    }

    private Geometry geometry(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("conv2d: input " + x.shape() + " is not [N, C, H, W]"
                    + (x.rank() == 3 ? ": a single image needs a batch dimension, x.reshape(1, C, H, W)" : ""));
        }
        if (weight.rank() != 4) {
            throw new IllegalArgumentException("conv2d: weight " + weight.shape() + " is not [out, in/groups, kH, kW]");
        }
        int c = x.dim(1);
        int oc = weight.dim(0);
        if (groups < 1 || c % groups != 0 || oc % groups != 0) {
            throw new IllegalArgumentException("conv2d: " + groups + " groups must divide the " + c + " input and "
                    + oc + " output channels");
        }
        if (weight.dim(1) != c / groups || weight.dim(2) != window.kernelH() || weight.dim(3) != window.kernelW()) {
            throw new IllegalArgumentException("conv2d: weight " + weight.shape() + " does not fit an input of " + c
                    + " channels in " + groups + " group(s) with a " + window.kernelH() + "×" + window.kernelW()
                    + " kernel: expected [" + oc + ", " + c / groups + ", " + window.kernelH() + ", "
                    + window.kernelW() + "]");
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != oc)) {
            throw new IllegalArgumentException("conv2d: bias " + bias.shape() + " is not [" + oc + "]");
        }
        int oh = window.outH(x.dim(2));
        int ow = window.outW(x.dim(3));
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: the input's " + x.dim(2) + "×" + x.dim(3) + " image, padded "
                    + "(" + window + "), is smaller than the " + (window.dilationH() * (window.kernelH() - 1) + 1) + "×"
                    + (window.dilationW() * (window.kernelW() - 1) + 1) + " reach of the kernel: pad the input, or "
                    + "use a smaller kernel");
        }
        return new Geometry(window, x.dim(0), c, x.dim(2), x.dim(3), oc, oh, ow, groups);
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        float[] gy = gradOutput.data();
        int p = geo.p();
        int chunk = geo.chunk();
        boolean wantX = needsInputGrad(0);
        boolean wantW = needsInputGrad(1);
        Tensor dx = wantX ? Tensor.gradientBuffer(x.shape()) : null;
        Tensor dw = wantW ? Tensor.zeros(weight.shape()) : null;
        Tensor db = hasBias && needsInputGrad(2) ? Tensor.zeros(geo.oc()) : null;
        Workspace work = Workspace.CURRENT.get();
        float[] cols = work.columns(geo.k() * chunk * p);
        float[] g = work.product(geo.ocg() * chunk * p);
        float[] dwg = new float[geo.ocg() * geo.k()];
        for (int group = 0; group < groups; group++) {
            float[] wg = groupWeight(group);
            for (int n0 = 0; n0 < geo.n(); n0 += chunk) {
                int m = Math.min(chunk, geo.n() - n0);
                int gr = group;
                int first = n0;
                // G [OC/groups, m·P] from the [N, OC, OH, OW] gradient, and the bias gradient of each channel
                Parallel.forRange(geo.ocg(), (long) geo.ocg() * m * p, (from, to) -> {
                    for (int o = from; o < to; o++) {
                        int channel = gr * geo.ocg() + o;
                        for (int s = 0; s < m; s++) {
                            System.arraycopy(gy, ((first + s) * geo.oc() + channel) * p, g, o * m * p + s * p, p);
                        }
                        if (db != null) {
                            db.data()[channel] += (float) Sums.sum(g, o * m * p, (o + 1) * m * p);
                        }
                    }
                });
                if (wantW) {
                    geo.unfold(x.data(), group, n0, m, cols);
                    Gemm.abt(g, cols, dwg, geo.ocg(), m * p, geo.k(), n0 > 0);
                }
                if (wantX) {
                    Gemm.atb(wg, g, cols, geo.k(), geo.ocg(), m * p, false);
                    geo.fold(cols, group, n0, m, dx.data());
                }
            }
            if (wantW) {
                System.arraycopy(dwg, 0, dw.data(), group * dwg.length, dwg.length);
            }
        }
        return new Tensor[] {dx, dw, db};
    }
}
