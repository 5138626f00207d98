package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.tensor.Rng;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link SoftmaxRows}: the vector path (what {@code softmax} runs in the test JVM, which has the Vector API) against
 * the scalar path ({@code scalarForward}, {@code scalarBackward}) and both against a double-precision reference,
 * on row lengths around the vector width, along the last dimension and along strided dimensions, with −∞ entries,
 * rows of −∞ and NaN; and the same bits on every call, before and after the JIT compiles the loops.
 *
 * <p><b>Tolerances.</b> Against the double reference, a probability p may be off by
 * {@code (4 + n + |log p|)·2⁻²⁴·p}: each exponential is within about 1 ulp ({@link FastExpTest}), the float sum of n
 * terms loses at most about n·2⁻²⁴ relatively, and the argument x − m is rounded to float32 once, an absolute error
 * of up to |x − m|·2⁻²⁴ ≤ |log p|·2⁻²⁴ that the exponential turns into a relative one (as in PyTorch's float32
 * softmax). A log-probability ℓ = (x − m) − log s may be off by {@code (4 + n)·2⁻²⁴·(1 + |ℓ|)}. Gradients, y·(g − ⟨g, y⟩), get the same relative bound on the sizes of their
 * terms. The measured errors are far smaller; a wrong row, a skipped tail or a lost rescaling is off by far more.
 */
class SoftmaxRowsTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();
    private static final int[] LENGTHS = {1, 7, 15, 16, 17, 33, 1000};
    private static final int[] INNERS = {1, 3, 16, 17};
    private static final float INF = Float.POSITIVE_INFINITY;
    private static final double U = 0x1p-24;

    @Test
    void theVectorPathRunsInTheseTests() {
        assertTrue(Simd.VECTORIZED, "tests run with jdk.incubator.vector, so SoftmaxRows.softmax takes the vector path");
    }

    @Test
    void forwardMatchesTheDoubleReferenceAndTheScalarPath() {
        Rng rng = new Rng(5);
        for (int n : LENGTHS) {
            for (int inner : INNERS) {
                int outer = 3;
                float[] x = gaussian(rng, outer * n * inner, 4f);
                for (boolean log : new boolean[] {false, true}) {
                    String what = (log ? "logSoftmax" : "softmax") + " [" + outer + ", " + n + ", " + inner + "]";
                    float[] vector = forward(x, outer, n, inner, log);
                    float[] scalar = new float[x.length];
                    SoftmaxRows.scalarForward(x, outer, n, inner, scalar, log);
                    double[] ref = reference(x, outer, n, inner, log);
                    assertNear(ref, vector, n, log, what + ", vector path");
                    assertNear(ref, scalar, n, log, what + ", scalar path");
                    if (inner > 1 || n < LANES) {
                        // the same operations in the same order: one lane per position, or a row too short for a vector
                        assertBits(scalar, vector, what + ": vector and scalar paths");
                    }
                }
            }
        }
    }

    @Test
    void backwardMatchesTheDoubleReferenceAndTheScalarPath() {
        Rng rng = new Rng(6);
        for (int n : LENGTHS) {
            for (int inner : INNERS) {
                int outer = 2;
                float[] x = gaussian(rng, outer * n * inner, 3f);
                float[] g = gaussian(rng, x.length, 1f);
                for (boolean log : new boolean[] {false, true}) {
                    String what = (log ? "logSoftmaxBackward" : "softmaxBackward") + " [" + outer + ", " + n + ", "
                            + inner + "]";
                    float[] y = forward(x, outer, n, inner, log);
                    float[] vector = new float[x.length];
                    if (log) {
                        SoftmaxRows.logSoftmaxBackward(y, g, outer, n, inner, vector);
                    } else {
                        SoftmaxRows.softmaxBackward(y, g, outer, n, inner, vector);
                    }
                    float[] scalar = new float[x.length];
                    SoftmaxRows.scalarBackward(y, g, outer, n, inner, scalar, log);
                    double[][] ref = referenceBackward(x, g, outer, n, inner);
                    assertGradientNear(ref, vector, n, what + ", vector path");
                    assertGradientNear(ref, scalar, n, what + ", scalar path");
                    if (inner > 1 || n < LANES) {
                        assertBits(scalar, vector, what + ": vector and scalar paths");
                    }
                }
            }
        }
    }

    /** Logits of ±1e4 in one row: the maximum is subtracted first, so nothing overflows. */
    @Test
    void largeLogitsStayFinite() {
        float[] x = {1e4f, -1e4f, 1e4f - 1f, 0f, 5e3f, -5e3f, 1e4f, 1e4f - 30f, 3f, -2f, 1f, 0.5f, 9999f, 1e4f, -1f,
            2f, 1e4f - 0.5f};
        for (int inner : new int[] {1, 17}) {
            float[] wide = spread(x, inner);
            for (boolean log : new boolean[] {false, true}) {
                float[] y = forward(wide, 1, x.length, inner, log);
                assertNear(reference(wide, 1, x.length, inner, log), y, x.length, log, "large logits, inner " + inner);
            }
        }
    }

    /** −∞ entries (masked classes) get probability exactly 0 and log-probability −∞; the other entries are exact. */
    @Test
    void minusInfinityEntriesGetProbabilityZero() {
        Rng rng = new Rng(8);
        for (int n : LENGTHS) {
            for (int inner : INNERS) {
                int outer = 2;
                float[] x = gaussian(rng, outer * n * inner, 2f);
                for (int i = 0; i < x.length; i++) {
                    if (i % 3 == 0 && i / inner % n != n - 1) {   // every third value, but never the last of a row
                        x[i] = -INF;
                    }
                }
                for (boolean log : new boolean[] {false, true}) {
                    String what = (log ? "logSoftmax" : "softmax") + " with -inf, [" + outer + ", " + n + ", " + inner
                            + "]";
                    float[] y = forward(x, outer, n, inner, log);
                    float[] scalar = new float[x.length];
                    SoftmaxRows.scalarForward(x, outer, n, inner, scalar, log);
                    for (int i = 0; i < x.length; i++) {
                        if (x[i] == -INF) {
                            assertEquals(log ? -INF : 0f, y[i], what + " at " + i);
                            assertEquals(log ? -INF : 0f, scalar[i], what + " (scalar) at " + i);
                        }
                    }
                    assertNear(reference(x, outer, n, inner, log), y, n, log, what);
                }
            }
        }
    }

    /**
     * A row of −∞ only is 0/0: NaN in every entry, as in PyTorch; a NaN anywhere in a row makes the row NaN. Other
     * rows are unaffected.
     */
    @Test
    void rowsOfMinusInfinityOrWithNaNBecomeNaNAndLeaveOtherRowsAlone() {
        Rng rng = new Rng(9);
        for (int n : LENGTHS) {
            for (int inner : INNERS) {
                int outer = 3;
                for (int bad : new int[] {0, n / 2, n - 1}) {   // where the NaN sits in its row
                    float[] x = gaussian(rng, outer * n * inner, 2f);
                    for (int c = 0; c < n; c++) {
                        x[(0 * n + c) * inner] = -INF;              // row 0 at position 0: all −∞
                    }
                    x[(2 * n + bad) * inner + inner - 1] = Float.NaN;   // row 2 at the last position: one NaN
                    for (boolean log : new boolean[] {false, true}) {
                        float[] vector = forward(x, outer, n, inner, log);
                        float[] scalar = new float[x.length];
                        SoftmaxRows.scalarForward(x, outer, n, inner, scalar, log);
                        double[] ref = reference(x, outer, n, inner, log);
                        String what = (log ? "logSoftmax" : "softmax") + " [" + outer + ", " + n + ", " + inner
                                + "], NaN at " + bad;
                        for (float[] y : new float[][] {vector, scalar}) {
                            for (int o = 0; o < outer; o++) {
                                for (int c = 0; c < n; c++) {
                                    for (int j = 0; j < inner; j++) {
                                        int k = (o * n + c) * inner + j;
                                        boolean nanRow = o == 0 && j == 0 || o == 2 && j == inner - 1;
                                        assertEquals(nanRow, Float.isNaN(y[k]), what + " at " + k);
                                    }
                                }
                            }
                            assertNear(ref, y, n, log, what);   // the reference is NaN at the same places
                        }
                    }
                }
            }
        }
    }

    /** An all-equal row is uniform: exactly 1/n and −log n, whatever the common value. */
    @Test
    void equalLogitsGiveTheUniformDistribution() {
        for (int n : LENGTHS) {
            for (float v : new float[] {0f, -3.5f, 1e4f, -1e4f}) {
                float[] x = new float[n];
                java.util.Arrays.fill(x, v);
                float[] p = forward(x, 1, n, 1, false);
                float[] l = forward(x, 1, n, 1, true);
                for (int c = 0; c < n; c++) {
                    assertEquals(1.0 / n, p[c], 2 * U / n, "softmax of " + n + " equal values " + v);
                    assertEquals(-Math.log(n), l[c], (4 + n) * U * (1 + Math.log(n)), "logSoftmax of " + n + " values");
                }
            }
        }
    }

    /**
     * The results do not depend on whether the JIT has compiled the loops: the first call (interpreted, unless an
     * earlier test warmed the code up) and 20 000 later ones give the same bits.
     */
    @Test
    void repeatedCallsGiveTheSameBits() {
        Rng rng = new Rng(10);
        int[][] layouts = {{3, 37, 1}, {2, 5, 17}, {4, 16, 1}, {1, 1000, 1}};
        for (int[] layout : layouts) {
            int outer = layout[0];
            int n = layout[1];
            int inner = layout[2];
            float[] x = gaussian(rng, outer * n * inner, 3f);
            x[1] = -INF;
            float[] g = gaussian(rng, x.length, 1f);
            for (boolean log : new boolean[] {false, true}) {
                float[] y0 = forward(x, outer, n, inner, log);
                float[] dx0 = backward(y0, g, outer, n, inner, log);
                int calls = n == 1000 ? 2_000 : 20_000;   // the same number of loop iterations for the long row
                for (int call = 0; call < calls; call++) {
                    float[] y = forward(x, outer, n, inner, log);
                    float[] dx = backward(y0, g, outer, n, inner, log);
                    if (!java.util.Arrays.equals(y0, y) || !java.util.Arrays.equals(dx0, dx)) {
                        fail("call " + call + " of " + (log ? "logSoftmax" : "softmax") + " on [" + outer + ", " + n
                                + ", " + inner + "] gave other bits than the first");
                    }
                }
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static float[] forward(float[] x, int outer, int n, int inner, boolean log) {
        float[] y = new float[x.length];
        if (log) {
            SoftmaxRows.logSoftmax(x, outer, n, inner, y);
        } else {
            SoftmaxRows.softmax(x, outer, n, inner, y);
        }
        return y;
    }

    private static float[] backward(float[] y, float[] g, int outer, int n, int inner, boolean log) {
        float[] dx = new float[y.length];
        if (log) {
            SoftmaxRows.logSoftmaxBackward(y, g, outer, n, inner, dx);
        } else {
            SoftmaxRows.softmaxBackward(y, g, outer, n, inner, dx);
        }
        return dx;
    }

    /** Softmax or log-softmax in double: m = max, s = Σ e^(x − m), then e^(x − m)/s or (x − m) − log s. */
    static double[] reference(float[] x, int outer, int n, int inner, boolean log) {
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j;
                double m = Double.NEGATIVE_INFINITY;
                boolean nan = false;
                for (int c = 0; c < n; c++) {
                    nan |= Float.isNaN(x[base + c * inner]);
                    m = Math.max(m, x[base + c * inner]);
                }
                double s = 0;
                for (int c = 0; c < n; c++) {
                    s += Math.exp(x[base + c * inner] - m);
                }
                for (int c = 0; c < n; c++) {
                    double v = x[base + c * inner] - m;
                    y[base + c * inner] = nan || m == Double.NEGATIVE_INFINITY ? Double.NaN
                            : log ? v - Math.log(s) : Math.exp(v) / s;
                }
            }
        }
        return y;
    }

    /**
     * The gradients of softmax and log-softmax in double, {@code [softmax dx, log-softmax dx, scale]}, where scale
     * is the size of the terms each gradient entry is made of (for the tolerance).
     */
    private static double[][] referenceBackward(float[] x, float[] g, int outer, int n, int inner) {
        double[] p = reference(x, outer, n, inner, false);
        double[] softmaxDx = new double[x.length];
        double[] logSoftmaxDx = new double[x.length];
        double[] scale = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < inner; j++) {
                int base = o * n * inner + j;
                double dot = 0;
                double sum = 0;
                double absSum = 0;
                for (int c = 0; c < n; c++) {
                    int k = base + c * inner;
                    dot += g[k] * p[k];
                    sum += g[k];
                    absSum += Math.abs(g[k]);
                }
                for (int c = 0; c < n; c++) {
                    int k = base + c * inner;
                    softmaxDx[k] = p[k] * (g[k] - dot);
                    logSoftmaxDx[k] = g[k] - p[k] * sum;
                    scale[k] = Math.abs(g[k]) + absSum;
                }
            }
        }
        return new double[][] {softmaxDx, logSoftmaxDx, scale};
    }

    private static void assertNear(double[] ref, float[] actual, int n, boolean log, String what) {
        double rel = (4 + n) * U;
        for (int i = 0; i < ref.length; i++) {
            double e = ref[i];
            float a = actual[i];
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.compare(e, a) != 0) {
                    fail(what + ": expected " + e + " at " + i + ", got " + a);
                }
                continue;
            }
            // below Float.MIN_NORMAL FastExp flushes to 0 (see its javadoc)
            double tol = log ? rel * (1 + Math.abs(e)) : e == 0 ? 0 : (rel + Math.abs(Math.log(e)) * U) * e + Float.MIN_NORMAL;
            if (!(Math.abs(a - e) <= tol)) {
                fail(what + ": expected " + e + " at " + i + ", got " + a + " (tolerance " + tol + ")");
            }
        }
    }

    private static void assertGradientNear(double[][] ref, float[] actual, int n, String what) {
        boolean log = what.startsWith("log");
        double[] e = log ? ref[1] : ref[0];
        for (int i = 0; i < e.length; i++) {
            double tol = (4 + n) * U * ref[2][i];
            if (!(Math.abs(actual[i] - e[i]) <= tol)) {
                fail(what + ": expected " + e[i] + " at " + i + ", got " + actual[i] + " (tolerance " + tol + ")");
            }
        }
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                fail(what + " differ at " + i + ": " + expected[i] + " and " + actual[i]);
            }
        }
    }

    /** The row x laid out along the middle axis of [1, x.length, inner], each copy shifted a little. */
    private static float[] spread(float[] x, int inner) {
        float[] out = new float[x.length * inner];
        for (int c = 0; c < x.length; c++) {
            for (int j = 0; j < inner; j++) {
                out[c * inner + j] = x[c] + 0.25f * j;
            }
        }
        return out;
    }

    private static float[] gaussian(Rng rng, int size, float scale) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = scale * rng.nextGaussian();
        }
        return x;
    }
}
