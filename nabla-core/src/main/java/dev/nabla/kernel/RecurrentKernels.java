package dev.nabla.kernel;

/**
 * The element-wise part of one time step of the recurrent layers (LSTM, GRU, Elman RNN), forward and backward, on
 * {@code rows} samples of {@code hidden} units: everything between one step's matrix product {@code h·W_hhᵀ} and the
 * next, in one pass over the step's gates. The gates of a sample are one row of {@code G·hidden} values in PyTorch's
 * order (LSTM i, f, g, o; GRU r, z, n). The formulas and their derivation are in the ops that call these
 * ({@code dev.nabla.ops.LstmLayer}, {@code GruLayer}, {@code RnnLayer}).
 *
 * <p>Arrays with an offset argument are read or written from that offset on, rows of {@code G·hidden} (gates) or
 * {@code hidden} values after it; the others hold exactly {@code rows} rows from index 0. Every method says which it
 * writes. With the Vector API and H a multiple of the vector length, {@code VectorRecurrentKernels} does the work;
 * else the plain loops here, which do the same operations in the same order (the sigmoid and tanh are
 * {@link Elementwise}'s), so either path gives the same bits. Rows are independent:
 * large steps are split over the {@link Parallel} threads, with the same bits for any thread count.
 */
public final class RecurrentKernels {
    /** Scalar operations per gate value, for the split over threads (an exponential and a few multiply-adds). */
    private static final int WORK_PER_VALUE = 25;
    /** The same for the backward steps (multiplications only). */
    private static final int BACKWARD_WORK_PER_VALUE = 12;

    private RecurrentKernels() {
    }

    /** Whether the Vector API path runs for rows of {@code hidden} units (whole vectors; else the plain loops). */
    static boolean vectorized(int hidden) {
        return Simd.VECTORIZED && VectorRecurrentKernels.fits(hidden);
    }

    /**
     * One LSTM step: with a = pre + hw (pre from offset {@code preOff}, rows of 4H, holding the input projection and
     * both biases), i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o); {@code c ← f⊙c + i⊙g}, {@code h = o⊙tanh(c)}.
     * Writes the activated gates over pre, c (read as c_{t−1}, left as c_t), {@code tanhC} from offset
     * {@code tanhOff} (tanh(c_t), for backward) and h.
     */
    public static void lstmForward(float[] pre, int preOff, float[] hw, float[] c, float[] tanhC, int tanhOff,
                                   float[] h, int rows, int hidden) {
        long work = (long) WORK_PER_VALUE * 5 * hidden * rows;
        if (vectorized(hidden)) {
            Parallel.forRange(rows, work, (from, to) -> VectorRecurrentKernels.activateGates(pre, preOff, hw,
                    4 * hidden, 4 * hidden, 2 * hidden, 3 * hidden, from, to));
            Parallel.forRange(rows, work / 5, (from, to) -> VectorRecurrentKernels.lstmCell(pre, preOff, c, tanhC,
                    tanhOff, h, hidden, from, to));
            return;
        }
        Parallel.forRange(rows, work, (from, to) -> lstmForwardRows(pre, preOff, hw, c, tanhC, tanhOff, h, hidden,
                from, to));
    }

    /** The plain loops of {@link #lstmForward}, for rows [from, to). */
    static void lstmForwardRows(float[] pre, int preOff, float[] hw, float[] c, float[] tanhC, int tanhOff, float[] h,
                                int hidden, int from, int to) {
        for (int r = from; r < to; r++) {
            int g = preOff + r * 4 * hidden;
            int w = r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = Elementwise.sigmoidOf(pre[g + j] + hw[w + j]);
                float f = Elementwise.sigmoidOf(pre[g + hidden + j] + hw[w + hidden + j]);
                float gg = Elementwise.tanhOf(pre[g + 2 * hidden + j] + hw[w + 2 * hidden + j]);
                float o = Elementwise.sigmoidOf(pre[g + 3 * hidden + j] + hw[w + 3 * hidden + j]);
                pre[g + j] = i;
                pre[g + hidden + j] = f;
                pre[g + 2 * hidden + j] = gg;
                pre[g + 3 * hidden + j] = o;
                float cj = f * c[s + j] + i * gg;
                c[s + j] = cj;
                float t = Elementwise.tanhOf(cj);
                tanhC[tanhOff + s + j] = t;
                h[s + j] = o * t;
            }
        }
    }

    /**
     * The backward of {@link #lstmForward}: from the saved gates (offset {@code gatesOff}), tanh(c_t) (offset
     * {@code tanhOff}) and c_{t−1} (offset {@code cPrevOff}), and dh = dL/dh_t, dc = dL/dc_t through later steps:
     * <pre>
     * dc_t = dc + dh⊙o⊙(1 − tanh²c_t)
     * da_o = dh⊙tanh(c_t)⊙o(1 − o)    da_i = dc_t⊙g⊙i(1 − i)
     * da_g = dc_t⊙i⊙(1 − g²)          da_f = dc_t⊙c_{t−1}⊙f(1 − f)
     * </pre>
     * Writes {@code da} (rows of 4H from index 0) and dc (left as dL/dc_{t−1} through the cell, {@code dc_t⊙f}).
     */
    public static void lstmBackward(float[] gates, int gatesOff, float[] tanhC, int tanhOff, float[] cPrev, int cPrevOff,
                                    float[] dh, float[] dc, float[] da, int rows, int hidden) {
        Parallel.forRange(rows, (long) BACKWARD_WORK_PER_VALUE * 4 * hidden * rows, (from, to) -> {
            if (vectorized(hidden)) {
                VectorRecurrentKernels.lstmBackward(gates, gatesOff, tanhC, tanhOff, cPrev, cPrevOff, dh, dc, da, hidden,
                        from, to);
            } else {
                lstmBackwardRows(gates, gatesOff, tanhC, tanhOff, cPrev, cPrevOff, dh, dc, da, hidden, from, to);
            }
        });
    }

    /** The plain loops of {@link #lstmBackward}, for rows [from, to). */
    static void lstmBackwardRows(float[] gates, int gatesOff, float[] tanhC, int tanhOff, float[] cPrev, int cPrevOff,
                                 float[] dh, float[] dc, float[] da, int hidden, int from, int to) {
        for (int r = from; r < to; r++) {
            int g = gatesOff + r * 4 * hidden;
            int a = r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float i = gates[g + j];
                float f = gates[g + hidden + j];
                float gg = gates[g + 2 * hidden + j];
                float o = gates[g + 3 * hidden + j];
                float t = tanhC[tanhOff + s + j];
                float dhj = dh[s + j];
                float dct = dc[s + j] + dhj * o * (1f - t * t);
                da[a + j] = dct * gg * i * (1f - i);
                da[a + hidden + j] = dct * cPrev[cPrevOff + s + j] * f * (1f - f);
                da[a + 2 * hidden + j] = dct * i * (1f - gg * gg);
                da[a + 3 * hidden + j] = dhj * t * o * (1f - o);
                dc[s + j] = dct * f;
            }
        }
    }

    /**
     * One GRU step: with gi the input projection (offset {@code preOff}, rows of 3H; biases b_ir + b_hr and
     * b_iz + b_hz folded into its r and z parts, b_in into its n part) and gh = hw (= h·W_hhᵀ, rows of 3H):
     * r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), {@code hn = gh_n + b_hn}, n = tanh(gi_n + r⊙hn),
     * {@code h ← n + z⊙(h − n)} (= (1 − z)⊙n + z⊙h). {@code bhn} {@code [H]} may be null (no bias). Writes r, z, n
     * over gi, {@code hn} from offset {@code hnOff} (for backward) and h (read as h_{t−1}, left as h_t).
     */
    public static void gruForward(float[] pre, int preOff, float[] hw, float[] bhn, float[] hn, int hnOff, float[] h,
                                  int rows, int hidden) {
        long work = (long) WORK_PER_VALUE * 3 * hidden * rows;
        if (vectorized(hidden)) {
            Parallel.forRange(rows, work, (from, to) -> VectorRecurrentKernels.activateGates(pre, preOff, hw,
                    3 * hidden, 2 * hidden, 0, 0, from, to));
            Parallel.forRange(rows, work / 3, (from, to) -> VectorRecurrentKernels.gruState(pre, preOff, hw, bhn, hn,
                    hnOff, h, hidden, from, to));
            return;
        }
        Parallel.forRange(rows, work, (from, to) -> gruForwardRows(pre, preOff, hw, bhn, hn, hnOff, h, hidden, from, to));
    }

    /** The plain loops of {@link #gruForward}, for rows [from, to). */
    static void gruForwardRows(float[] pre, int preOff, float[] hw, float[] bhn, float[] hn, int hnOff, float[] h,
                               int hidden, int from, int to) {
        for (int r = from; r < to; r++) {
            int g = preOff + r * 3 * hidden;
            int w = r * 3 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float rr = Elementwise.sigmoidOf(pre[g + j] + hw[w + j]);
                float z = Elementwise.sigmoidOf(pre[g + hidden + j] + hw[w + hidden + j]);
                float hnj = bhn == null ? hw[w + 2 * hidden + j] : hw[w + 2 * hidden + j] + bhn[j];
                float n = Elementwise.tanhOf(pre[g + 2 * hidden + j] + rr * hnj);
                pre[g + j] = rr;
                pre[g + hidden + j] = z;
                pre[g + 2 * hidden + j] = n;
                hn[hnOff + s + j] = hnj;
                h[s + j] = n + z * (h[s + j] - n);
            }
        }
    }

    /**
     * The backward of {@link #gruForward}: from the saved r, z, n (offset {@code gatesOff}), hn (offset
     * {@code hnOff}), h_{t−1} (offset {@code hPrevOff}) and dh = dL/dh_t:
     * <pre>
     * dz = dh⊙(h_{t−1} − n)   da_z = dz⊙z(1 − z)
     * dn = dh⊙(1 − z)         da_n = dn⊙(1 − n²)
     * dr = da_n⊙hn            da_r = dr⊙r(1 − r)
     * </pre>
     * Writes {@code dgi} from offset {@code dgiOff} (the gradient of the input projection: da_r, da_z, da_n),
     * {@code dgh} (rows of 3H from 0, the gradient of h·W_hhᵀ + b_hh: da_r, da_z, da_n⊙r) and {@code dhDirect}
     * (dh⊙z, the part of dL/dh_{t−1} that does not go through W_hh).
     */
    public static void gruBackward(float[] gates, int gatesOff, float[] hn, int hnOff, float[] hPrev, int hPrevOff,
                                   float[] dh, float[] dgi, int dgiOff, float[] dgh, float[] dhDirect,
                                   int rows, int hidden) {
        Parallel.forRange(rows, (long) BACKWARD_WORK_PER_VALUE * 3 * hidden * rows, (from, to) -> {
            if (vectorized(hidden)) {
                VectorRecurrentKernels.gruBackward(gates, gatesOff, hn, hnOff, hPrev, hPrevOff, dh, dgi, dgiOff, dgh,
                        dhDirect, hidden, from, to);
            } else {
                gruBackwardRows(gates, gatesOff, hn, hnOff, hPrev, hPrevOff, dh, dgi, dgiOff, dgh, dhDirect, hidden, from,
                        to);
            }
        });
    }

    /** The plain loops of {@link #gruBackward}, for rows [from, to). */
    static void gruBackwardRows(float[] gates, int gatesOff, float[] hn, int hnOff, float[] hPrev, int hPrevOff,
                                float[] dh, float[] dgi, int dgiOff, float[] dgh, float[] dhDirect, int hidden,
                                int from, int to) {
        for (int r = from; r < to; r++) {
            int g = gatesOff + r * 3 * hidden;
            int di = dgiOff + r * 3 * hidden;
            int dg = r * 3 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j++) {
                float rr = gates[g + j];
                float z = gates[g + hidden + j];
                float n = gates[g + 2 * hidden + j];
                float dhj = dh[s + j];
                float dan = dhj * (1f - z) * (1f - n * n);
                float dar = dan * hn[hnOff + s + j] * rr * (1f - rr);
                float daz = dhj * (hPrev[hPrevOff + s + j] - n) * z * (1f - z);
                dgi[di + j] = dar;
                dgi[di + hidden + j] = daz;
                dgi[di + 2 * hidden + j] = dan;
                dgh[dg + j] = dar;
                dgh[dg + hidden + j] = daz;
                dgh[dg + 2 * hidden + j] = dan * rr;
                dhDirect[s + j] = dhj * z;
            }
        }
    }

    /**
     * One Elman RNN step: {@code h = f(pre + hw)} with f tanh or (when {@code relu}) max(·, 0), pre from offset
     * {@code preOff} (the input projection with both biases). Writes h over pre (for backward) and into h.
     */
    public static void rnnForward(float[] pre, int preOff, float[] hw, boolean relu, float[] h, int rows, int hidden) {
        Parallel.forRange(rows, (long) WORK_PER_VALUE * hidden * rows, (from, to) -> {
            int first = from * hidden;
            int end = to * hidden;
            int i = Simd.VECTORIZED ? VectorRecurrentKernels.rnnForward(pre, preOff, hw, relu, h, first, end) : first;
            rnnForwardValues(pre, preOff, hw, relu, h, i, end);
        });
    }

    /** The plain loop of {@link #rnnForward}, for the values [from, to) of the step. */
    static void rnnForwardValues(float[] pre, int preOff, float[] hw, boolean relu, float[] h, int from, int to) {
        for (int i = from; i < to; i++) {
            float a = pre[preOff + i] + hw[i];
            float y = relu ? Math.max(a, 0f) : Elementwise.tanhOf(a);
            pre[preOff + i] = y;
            h[i] = y;
        }
    }

    /**
     * The backward of {@link #rnnForward}, from the saved h_t (offset {@code hOff}) and dh = dL/dh_t:
     * {@code da = dh⊙(1 − h_t²)} for tanh, {@code dh⊙[h_t > 0]} for relu. Writes da (rows of H from 0).
     */
    public static void rnnBackward(float[] hs, int hOff, float[] dh, boolean relu, float[] da, int rows, int hidden) {
        int n = rows * hidden;
        int i = Simd.VECTORIZED ? VectorRecurrentKernels.rnnBackward(hs, hOff, dh, relu, da, n) : 0;
        rnnBackwardValues(hs, hOff, dh, relu, da, i, n);
    }

    /** The plain loop of {@link #rnnBackward}, for the values [from, to) of the step. */
    static void rnnBackwardValues(float[] hs, int hOff, float[] dh, boolean relu, float[] da, int from, int to) {
        for (int i = from; i < to; i++) {
            float y = hs[hOff + i];
            da[i] = relu ? (y > 0f ? dh[i] : 0f) : dh[i] * (1f - y * y);
        }
    }
}
