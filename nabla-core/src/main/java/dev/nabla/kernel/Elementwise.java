package dev.nabla.kernel;

/**
 * Element-wise loops: activations and their derivatives, and broadcast arithmetic. Every method takes its
 * inputs first and the output array last; only the output is written, and it may be the same array as an input.
 * The activations and their derivatives split large arrays over the {@link Parallel} threads; every element gets
 * the same bits whichever thread computes it.
 */
public final class Elementwise {
    /** Scalar operations per element, for the split over threads: a pass that only moves memory … an exponential. */
    private static final int MOVE_WORK = 2;
    private static final int EXP_WORK = 20;

    private Elementwise() {
    }

    /**
     * {@code y = 1 / (1 + e^−x)}, as {@code 1/(1 + e)} for x ≥ 0 and {@code e/(1 + e)} for x &lt; 0 with
     * e = e^−|x| ≤ 1, so nothing overflows. Vectorised; both paths use {@link FastExp} and agree bit for bit.
     * Writes y.
     */
    public static void sigmoid(float[] x, float[] y) {
        Parallel.forRange(x.length, (long) EXP_WORK * x.length, (from, to) -> sigmoid(x, y, from, to));
    }

    /** {@link #sigmoid(float[], float[])} over {@code [from, to)}, on the calling thread; y may be x. */
    static void sigmoid(float[] x, float[] y, int from, int to) {
        int i = Simd.VECTORIZED ? VectorElementwise.sigmoid(x, y, from, to) : from;
        for (; i < to; i++) {
            y[i] = sigmoidOf(x[i]);
        }
    }

    static float sigmoidOf(float v) {
        float e = FastExp.nonPositive(-Math.abs(v));
        return (v < 0f ? e : 1f) / (1f + e);
    }

    /**
     * {@code out[i] = a · e^x[i]} for i in {@code [from, to)} and x ≤ 0 (positive x count as 0), such as
     * log-probabilities turned back into scaled probabilities. {@link FastExp}, vectorised; both paths agree bit for
     * bit. Reads x; writes out's range (out may be x).
     */
    public static void scaledExp(float[] x, int from, int to, float a, float[] out) {
        int i = Simd.VECTORIZED ? VectorElementwise.scaledExp(x, from, to, a, out) : from;
        for (; i < to; i++) {
            out[i] = a * FastExp.nonPositive(x[i]);
        }
    }

    /** {@code dx = dy · y · (1 − y)} from the sigmoid's output y. Writes dx. */
    public static void sigmoidBackward(float[] y, float[] dy, float[] dx) {
        Parallel.forRange(y.length, (long) MOVE_WORK * y.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = dy[i] * y[i] * (1f - y[i]);
            }
        });
    }

    /** Below this |x|, tanh uses its Taylor series (the exponential form would lose digits to cancellation). */
    static final float TANH_SERIES_BELOW = 0.0625f;

    /**
     * {@code y = tanh(x)}: {@code (1 − e)/(1 + e)} with e = e^−2|x| and the sign of x, or the Taylor series
     * {@code x − x³/3 + 2x⁵/15 − 17x⁷/315} for |x| &lt; 1/16, where 1 − e would cancel. Within a few ulp of the
     * exact value. Vectorised; both paths agree bit for bit. Writes y.
     */
    public static void tanh(float[] x, float[] y) {
        Parallel.forRange(x.length, (long) EXP_WORK * x.length, (from, to) -> tanh(x, y, from, to));
    }

    /** {@link #tanh(float[], float[])} over {@code [from, to)}, on the calling thread; y may be x. */
    static void tanh(float[] x, float[] y, int from, int to) {
        int i = Simd.VECTORIZED ? VectorElementwise.tanh(x, y, from, to) : from;
        for (; i < to; i++) {
            y[i] = tanhOf(x[i]);
        }
    }

    static float tanhOf(float v) {
        float a = Math.abs(v);
        float t;
        if (a < TANH_SERIES_BELOW) {
            float p = a * a;
            t = a * (1f + p * (-1f / 3f + p * (2f / 15f + p * (-17f / 315f))));
        } else {
            float e = FastExp.nonPositive(-2f * a);
            t = (1f - e) / (1f + e);
        }
        return v < 0f ? -t : t;
    }

    /** {@code dx = dy · (1 − y²)} from tanh's output y. Writes dx. */
    public static void tanhBackward(float[] y, float[] dy, float[] dx) {
        Parallel.forRange(y.length, (long) MOVE_WORK * y.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = dy[i] * (1f - y[i] * y[i]);
            }
        });
    }

    /** {@code y = max(x, 0)}, with NaN passed through. Writes y. */
    public static void relu(float[] x, float[] y) {
        Parallel.forRange(x.length, (long) MOVE_WORK * x.length, (from, to) -> relu(x, y, from, to));
    }

    /** {@link #relu(float[], float[])} over {@code [from, to)}, on the calling thread; y may be x. */
    static void relu(float[] x, float[] y, int from, int to) {
        for (int i = Simd.VECTORIZED ? VectorElementwise.relu(x, y, from, to) : from; i < to; i++) {
            y[i] = Math.max(x[i], 0f);   // NaN stays NaN
        }
    }

    /** {@code dx = dy · [x > 0]} (0 at x = 0, as PyTorch). Writes dx. */
    public static void reluBackward(float[] x, float[] dy, float[] dx) {
        Parallel.forRange(x.length, (long) MOVE_WORK * x.length, (from, to) -> {
            for (int i = Simd.VECTORIZED ? VectorElementwise.reluBackward(x, dy, dx, from, to) : from; i < to; i++) {
                dx[i] = x[i] > 0f ? dy[i] : 0f;
            }
        });
    }

    /** {@code y = x} where x &gt; 0, else {@code slope · x}. Writes y. */
    public static void leakyRelu(float[] x, float slope, float[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] > 0f ? x[i] : slope * x[i];
        }
    }

    /** {@code dx = dy} where x &gt; 0, else {@code slope · dy}. Writes dx. */
    public static void leakyReluBackward(float[] x, float slope, float[] dy, float[] dx) {
        for (int i = 0; i < x.length; i++) {
            dx[i] = x[i] > 0f ? dy[i] : slope * dy[i];
        }
    }

    /**
     * {@code out[i] = x[i] + alpha · y[i mod y.length]}: with y as long as x this is plain addition; with y one
     * row of length C it adds y to every row of x. Writes out.
     */
    public static void addBroadcast(float[] x, float[] y, float alpha, float[] out) {
        int c = y.length;
        Parallel.forRange(c == 0 ? 0 : (x.length + c - 1) / c, (long) MOVE_WORK * x.length,
                (from, to) -> addBroadcast(x, y, alpha, out, from, to));
    }

    /**
     * {@link #addBroadcast} for the rows {@code [fromRow, toRow)} of x seen as {@code [rows, C]}, C = y.length (a
     * last row may be partial): writes out's values in those rows only.
     */
    public static void addBroadcast(float[] x, float[] y, float alpha, float[] out, int fromRow, int toRow) {
        int c = y.length;
        int done = Simd.VECTORIZED ? VectorElementwise.addBroadcast(x, y, alpha, out, fromRow, toRow) : 0;
        for (int row = fromRow; row < toRow; row++) {
            int base = row * c;
            for (int j = done; j < c && base + j < x.length; j++) {
                out[base + j] = x[base + j] + alpha * y[j];
            }
        }
    }

    /** {@code out[i] = x[i] · y[i mod y.length]} (y the same length as x, or one row broadcast). Writes out. */
    public static void mulBroadcast(float[] x, float[] y, float[] out) {
        int c = y.length;
        for (int base = 0; base < x.length; base += c) {
            for (int j = 0; j < c; j++) {
                out[base + j] = x[base + j] * y[j];
            }
        }
    }

    /** {@code out[j] = Σ_rows x[row·C + j]}: the column sums of a row-major [rows, C] array, in double. Writes out. */
    public static void sumRows(float[] x, float[] out) {
        sumRows(x, out, true);
    }

    /**
     * The column sums of a row-major [rows, C] array (C = out.length), accumulated in double, stored into
     * {@code out} when {@code overwrite}, else added to it. Writes out.
     */
    public static void sumRows(float[] x, float[] out, boolean overwrite) {
        Parallel.forRange(out.length, (long) MOVE_WORK * x.length, (from, to) -> sumRows(x, out, overwrite, from, to));
    }

    /** {@link #sumRows(float[], float[], boolean)} for the columns {@code [from, to)} only: writes out there. */
    public static void sumRows(float[] x, float[] out, boolean overwrite, int from, int to) {
        int c = out.length;
        double[] acc = new double[c];
        int done = Simd.VECTORIZED ? VectorElementwise.columnSums(x, acc, from, to) : from;
        for (int base = 0; base < x.length; base += c) {
            for (int j = done; j < to; j++) {
                acc[j] += x[base + j];
            }
        }
        for (int j = from; j < to; j++) {
            out[j] = overwrite ? (float) acc[j] : out[j] + (float) acc[j];
        }
    }

    /** {@code Σ x[i]}, accumulated in double. Reads x. */
    public static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }

    /** {@code out[i] = a · x[i]}. Writes out. */
    public static void scale(float[] x, float a, float[] out) {
        for (int i = 0; i < x.length; i++) {
            out[i] = a * x[i];
        }
    }

    /**
     * The index of the first NaN in x, or −1 when there is none: the check every loss makes on its input, a whole
     * vector at a time on the Vector API path. Reads x.
     */
    public static int firstNaN(float[] x) {
        for (int i = Simd.VECTORIZED ? VectorElementwise.firstNaNVector(x) : 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The index of the first NaN or ±∞ in x, or −1 when every value is finite: the check the trainer and the gradient
     * monitor make on every output and gradient, a whole vector at a time on the Vector API path. Reads x.
     */
    public static int firstNonFinite(float[] x) {
        for (int i = Simd.VECTORIZED ? VectorElementwise.firstNonFiniteVector(x) : 0; i < x.length; i++) {
            if (!Float.isFinite(x[i])) {
                return i;
            }
        }
        return -1;
    }

    /** True when every value is finite (no NaN, no ±∞). Reads x. */
    public static boolean allFinite(float[] x) {
        return firstNonFinite(x) < 0;
    }
}
