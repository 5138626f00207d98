package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import org.junit.jupiter.api.Test;

/** The exponential-based activations: accurate against Math, and the vector path equal to the scalar one bit for bit. */
class ElementwiseTest {
    /** Values over several scales, both signs, the series/exponential boundary of tanh, and the special values. */
    private static float[] samples() {
        Rng rng = new Rng(3);
        float[] x = new float[20_011];   // not a multiple of the vector length: the scalar tail runs too
        for (int i = 0; i < x.length; i++) {
            float scale = (float) Math.pow(10, rng.uniform(-9, 2.2f));
            x[i] = (rng.nextFloat() < 0.5f ? -1 : 1) * scale;
        }
        float[] special = {0f, -0f, 1e-30f, 0.0625f, -0.0625f, Math.nextDown(0.0625f), 88f, -88f, 200f, -200f,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(special, 0, x, 0, special.length);
        return x;
    }

    private static double ulps(double expected, float actual) {
        return Math.abs(expected - actual) / Math.ulp((float) expected);
    }

    @Test
    void sigmoidIsWithinTwoUlpOfTheExactValue() {
        float[] x = samples();
        float[] y = new float[x.length];
        Elementwise.sigmoid(x, y);
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(y[i]));
                continue;
            }
            double exact = 1 / (1 + Math.exp(-(double) x[i]));
            if (exact < 1e-37) {
                assertEquals(0f, y[i], 1e-37f, "x = " + x[i]);   // FastExp flushes results below the normal range
            } else {
                assertTrue(ulps(exact, y[i]) <= 2, "sigmoid(" + x[i] + ") = " + y[i] + ", exact " + exact);
            }
        }
    }

    @Test
    void tanhIsWithinFourUlpOfTheExactValue() {
        float[] x = samples();
        float[] y = new float[x.length];
        Elementwise.tanh(x, y);
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(y[i]));
                continue;
            }
            double exact = Math.tanh(x[i]);
            assertTrue(ulps(exact, y[i]) <= 4, "tanh(" + x[i] + ") = " + y[i] + ", exact " + exact);
        }
    }

    @Test
    void vectorAndScalarPathsGiveTheSameBits() {
        float[] x = samples();
        float[] vs = new float[x.length];
        float[] vt = new float[x.length];
        int s = VectorElementwise.sigmoid(x, vs, 0, x.length);
        int t = VectorElementwise.tanh(x, vt, 0, x.length);
        assertTrue(s > x.length - 64 && t > x.length - 64);
        for (int i = 0; i < s; i++) {
            assertEquals(Float.floatToIntBits(Elementwise.sigmoidOf(x[i])), Float.floatToIntBits(vs[i]), "x = " + x[i]);
        }
        for (int i = 0; i < t; i++) {
            float scalar = Elementwise.tanhOf(x[i]);
            // −0.0 and +0.0 may differ in sign only where x is ±0
            assertEquals(Float.floatToIntBits(scalar) & 0x7fffffff, Float.floatToIntBits(vt[i]) & 0x7fffffff, "x = " + x[i]);
        }
    }

    @Test
    void reluKeepsNaNAndZeroesNegatives() {
        float[] y = new float[4];
        Elementwise.relu(new float[] {-1f, 2f, Float.NaN, -0f}, y);
        assertEquals(0f, y[0]);
        assertEquals(2f, y[1]);
        assertTrue(Float.isNaN(y[2]));
        assertEquals(0f, Math.abs(y[3]));
    }

    /** The row broadcast and the column sums of [rows, C] arrays: the vector path against the scalar loop's bits. */
    @Test
    void broadcastAndColumnSumsGiveTheScalarLoopsBits() {
        Rng rng = new Rng(5);
        for (int rows : new int[] {1, 3, 17, 128}) {
            for (int c : new int[] {1, 7, 16, 17, 33, 129}) {
                String what = "[" + rows + ", " + c + "]";
                float[] x = new float[rows * c];
                for (int i = 0; i < x.length; i++) {
                    x[i] = rng.nextGaussian() * 10 + 3;
                }
                float[] b = new float[c];
                for (int j = 0; j < c; j++) {
                    b[j] = rng.nextGaussian();
                }
                float[] out = new float[x.length];
                Elementwise.addBroadcast(x, b, -0.7f, out);
                double[] sums = new double[c];
                for (int row = 0; row < rows; row++) {
                    for (int j = 0; j < c; j++) {
                        float expected = x[row * c + j] + -0.7f * b[j];
                        assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[row * c + j]),
                                "x + αb at " + row + ", " + j + " of " + what);
                        sums[j] += x[row * c + j];
                    }
                }
                float[] colSums = new float[c];
                Elementwise.sumRows(x, colSums);
                for (int j = 0; j < c; j++) {
                    assertEquals((float) sums[j], colSums[j], "column sum " + j + " of " + what);
                }
                // the same in two ranges: rows [0, rows/2) and [rows/2, rows), columns [0, c/3) and [c/3, c)
                float[] halves = new float[x.length];
                Elementwise.addBroadcast(x, b, -0.7f, halves, 0, rows / 2);
                Elementwise.addBroadcast(x, b, -0.7f, halves, rows / 2, rows);
                assertArrayEquals(out, halves, 0f, "x + αb by row ranges, " + what);
                float[] thirds = new float[c];
                Elementwise.sumRows(x, thirds, true, 0, c / 3);
                Elementwise.sumRows(x, thirds, true, c / 3, c);
                assertArrayEquals(colSums, thirds, 0f, "column sums by column ranges, " + what);
            }
        }
    }

    /** a·e^x over ranges that start and end off a vector boundary: the vector path against the scalar formula's bits. */
    @Test
    void scaledExpGivesTheScalarBits() {
        float[] x = samples();
        for (int i = 0; i < x.length; i++) {
            x[i] = -Math.abs(x[i]);   // log-probabilities: x ≤ 0 (−∞ and NaN included)
        }
        for (int len : new int[] {1, 7, 17, 33, 129, 1000}) {
            int from = 3 * len % 61;
            float[] out = new float[x.length];
            Elementwise.scaledExp(x, from, from + len, -0.37f, out);
            for (int i = 0; i < out.length; i++) {
                float expected = i >= from && i < from + len ? -0.37f * FastExp.nonPositive(x[i]) : 0f;
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[i]),
                        "a·e^x at " + i + " of [" + from + ", " + (from + len) + "), x = " + x[i]);
            }
        }
    }

    /** The first NaN, wherever it sits relative to the vectors (and −1 without one), on both paths alike. */
    @Test
    void firstNaNFindsTheFirstOne() {
        for (int len : new int[] {0, 1, 7, 17, 33, 129}) {
            float[] x = new float[len];
            for (int i = 0; i < len; i++) {
                x[i] = i - 5.5f;
            }
            assertEquals(-1, Elementwise.firstNaN(x), "no NaN in " + len);
            for (int at = 0; at < len; at++) {
                float[] y = x.clone();
                y[at] = Float.NaN;
                if (at + 3 < len) {
                    y[at + 3] = Float.intBitsToFloat(0x7fc0_1234);   // a later NaN with another payload
                }
                assertEquals(at, Elementwise.firstNaN(y), "NaN at " + at + " of " + len);
            }
        }
    }

    /** The first NaN or ±∞, wherever it sits relative to the vectors (and −1 without one), on both paths alike. */
    @Test
    void firstNonFiniteFindsTheFirstNaNOrInfinity() {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            for (int len : new int[] {0, 1, 7, 17, 33, 129}) {
                float[] x = new float[len];
                for (int i = 0; i < len; i++) {
                    x[i] = (i - 5.5f) * 1e36f;   // large but finite
                }
                assertEquals(-1, Elementwise.firstNonFinite(x), "all finite in " + len);
                assertTrue(Elementwise.allFinite(x));
                for (int at = 0; at < len; at++) {
                    float[] y = x.clone();
                    y[at] = bad;
                    if (at + 3 < len) {
                        y[at + 3] = Float.NaN;   // a later one
                    }
                    assertEquals(at, Elementwise.firstNonFinite(y), bad + " at " + at + " of " + len);
                    assertFalse(Elementwise.allFinite(y));
                }
            }
        }
    }
}
