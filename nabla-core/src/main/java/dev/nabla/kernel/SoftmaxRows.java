package dev.nabla.kernel;

/**
 * Softmax and log-softmax along one dimension of a row-major array, and their backward passes.
 *
 * <p>The array is seen as {@code [outer, n, inner]}: softmax runs over the n values at stride {@code inner}
 * (a "row"), for each of the outer·inner positions. For logits {@code [N, C]} along the last dimension that is
 * outer = N, n = C, inner = 1; for {@code [N, C, L]} along dimension 1 it is outer = N, n = C, inner = L.
 *
 * <p>Stable for any logits: a first pass finds the row maximum m, a second sums e^(x − m), so every exponent is
 * ≤ 0 and nothing overflows; a last pass writes the outputs. −∞ entries (masked classes) get probability 0.
 * A row whose entries are all −∞ gives NaN, as in PyTorch; a NaN anywhere in a row makes the row NaN.
 *
 * <p><b>Note:</b> the "online" softmax, which finds m and the sum in one pass by rescaling the running sum by
 * e^(m_old − m_new) whenever the maximum grows, measured about 1.3 times slower here (128 rows of 1000, both
 * vectorised): every step waits for the previous step's rescaling exponential and computes two exponentials per
 * value, while a separate sum pass computes one, independent of the others. The rows are in L1 either way.
 *
 * <p>Vectorised with the Vector API when present ({@link Simd}), across a row when inner = 1 and across
 * neighbouring positions otherwise; exponentials use {@link FastExp} in both paths.
 */
public final class SoftmaxRows {
    private SoftmaxRows() {
    }

    /** Softmax over the last dimension of {@code [rows, cols]}: see {@link #softmax(float[], int, int, int, float[])}. */
    public static void softmax(float[] x, int cols, float[] y) {
        softmax(x, x.length / Math.max(cols, 1), cols, 1, y);
    }

    /** Log-softmax over the last dimension of {@code [rows, cols]}. */
    public static void logSoftmax(float[] x, int cols, float[] y) {
        logSoftmax(x, x.length / Math.max(cols, 1), cols, 1, y);
    }

    /** {@code y = e^(x − m) / Σ e^(x − m)} along the middle axis of {@code [outer, n, inner]}. Reads x; writes y. */
    public static void softmax(float[] x, int outer, int n, int inner, float[] y) {
        check(x, y, outer, n, inner);
        if (Simd.VECTORIZED) {
            VectorSoftmax.forward(x, outer, n, inner, y, false);
        } else {
            scalarForward(x, outer, n, inner, y, false);
        }
    }

    /** {@code y = x − m − log Σ e^(x − m)} along the middle axis of {@code [outer, n, inner]}. Reads x; writes y. */
    public static void logSoftmax(float[] x, int outer, int n, int inner, float[] y) {
        check(x, y, outer, n, inner);
        if (Simd.VECTORIZED) {
            VectorSoftmax.forward(x, outer, n, inner, y, true);
        } else {
            scalarForward(x, outer, n, inner, y, true);
        }
    }

    /** Softmax backward over the last dimension of {@code [rows, cols]}. */
    public static void softmaxBackward(float[] y, float[] dy, int cols, float[] dx) {
        softmaxBackward(y, dy, y.length / Math.max(cols, 1), cols, 1, dx);
    }

    /** Log-softmax backward over the last dimension of {@code [rows, cols]}. */
    public static void logSoftmaxBackward(float[] y, float[] dy, int cols, float[] dx) {
        logSoftmaxBackward(y, dy, y.length / Math.max(cols, 1), cols, 1, dx);
    }

    /**
     * {@code dx = y ⊙ (dy − ⟨dy, y⟩)} per row, from softmax's output y: the Jacobian–vector product, never the
     * n×n Jacobian. Reads y and dy; writes dx.
     */
    public static void softmaxBackward(float[] y, float[] dy, int outer, int n, int inner, float[] dx) {
        check(y, dx, outer, n, inner);
        if (Simd.VECTORIZED) {
            VectorSoftmax.backward(y, dy, outer, n, inner, dx, false);
        } else {
            scalarBackward(y, dy, outer, n, inner, dx, false);
        }
    }

    /** {@code dx = dy − e^y · Σ dy} per row, from log-softmax's output y. Reads y and dy; writes dx. */
    public static void logSoftmaxBackward(float[] y, float[] dy, int outer, int n, int inner, float[] dx) {
        check(y, dx, outer, n, inner);
        if (Simd.VECTORIZED) {
            VectorSoftmax.backward(y, dy, outer, n, inner, dx, true);
        } else {
            scalarBackward(y, dy, outer, n, inner, dx, true);
        }
    }

    private static void check(float[] in, float[] out, int outer, int n, int inner) {
        long size = (long) outer * n * inner;
        if (in.length < size || out.length < size) {
            throw new IllegalArgumentException("softmax arrays too small for [" + outer + ", " + n + ", " + inner + "]");
        }
    }

    /** The plain-loop path, one position at a time: the fallback, and the reference the vector path is tested against. */
    static void scalarForward(float[] x, int outer, int n, int inner, float[] y, boolean log) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                scalarForwardRow(x, y, o * n * inner + j, n, inner, log);
            }
        }
    }

    /** Forward for the one row that starts at {@code base}, with stride {@code inner}. */
    static void scalarForwardRow(float[] x, float[] y, int base, int n, int inner, boolean log) {
        float m = Float.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            m = Math.max(m, x[base + c * inner]);   // Math.max keeps a NaN
        }
        float s = 0f;
        for (int c = 0; c < n; c++) {
            s += FastExp.nonPositive(x[base + c * inner] - m);
        }
        writeRow(x, y, base, n, inner, m, s, log);
    }

    /** The output pass for one row, given its maximum m and Σ e^(x − m) = s. */
    static void writeRow(float[] x, float[] y, int base, int n, int inner, float m, float s, boolean log) {
        if (m == Float.NEGATIVE_INFINITY) {
            s = Float.NaN;   // all −∞: 0/0, as PyTorch
        }
        if (log) {
            float logSum = (float) Math.log(s);
            for (int c = 0; c < n; c++) {
                // NOTE: (x − m) − log s, not x − (m + log s): m + log s would round away log s when |m| is large
                y[base + c * inner] = x[base + c * inner] - m - logSum;
            }
        } else {
            float inv = 1f / s;
            for (int c = 0; c < n; c++) {
                y[base + c * inner] = FastExp.nonPositive(x[base + c * inner] - m) * inv;
            }
        }
    }

    static void scalarBackward(float[] y, float[] dy, int outer, int n, int inner, float[] dx, boolean log) {
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                scalarBackwardRow(y, dy, dx, o * n * inner + j, n, inner, log);
            }
        }
    }

    /** Backward for the one row that starts at {@code base}, with stride {@code inner}. */
    static void scalarBackwardRow(float[] y, float[] dy, float[] dx, int base, int n, int inner, boolean log) {
        float acc = 0f;
        for (int c = 0; c < n; c++) {
            int k = base + c * inner;
            acc = log ? acc + dy[k] : Math.fma(dy[k], y[k], acc);
        }
        for (int c = 0; c < n; c++) {
            int k = base + c * inner;
            dx[k] = log ? dy[k] - FastExp.nonPositive(y[k]) * acc : y[k] * (dy[k] - acc);
        }
    }
}
