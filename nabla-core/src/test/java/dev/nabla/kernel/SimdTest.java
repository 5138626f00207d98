package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import org.junit.jupiter.api.Test;

/**
 * The Vector API primitives against their plain-loop twins, for every length up to several vectors (so every
 * tail length occurs) and at unaligned offsets. The vector path fuses multiply and add and sums in another
 * order, so the two agree to float32 rounding, not bit for bit.
 */
class SimdTest {
    private static final int MAX_LENGTH = 70;

    @Test
    void theTestJvmHasTheVectorModule() {
        // surefire starts the JVM with --add-modules jdk.incubator.vector; without it VectorSimd cannot load
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "tests run without jdk.incubator.vector, so the vector path is untested");
        assertEquals(Simd.VECTORIZED, Simd.describe().startsWith("Vector API, "), Simd.describe());
    }

    @Test
    void axpyAgreesWithThePlainLoopAndWritesOnlyItsRange() {
        Rng rng = new Rng(1);
        for (int n = 0; n <= MAX_LENGTH; n++) {
            for (int off : new int[] {0, 3}) {
                float a = rng.nextGaussian();
                float[] x = gaussian(rng, n + off + 5);
                float[] y = gaussian(rng, n + off + 5);
                float[] scalar = y.clone();
                float[] vector = y.clone();
                ScalarSimd.axpy(n, a, x, off + 1, scalar, off);
                VectorSimd.axpy(n, a, x, off + 1, vector, off);
                for (int i = 0; i < y.length; i++) {
                    if (i < off || i >= off + n) {
                        assertEquals(y[i], vector[i], "axpy wrote outside [yOff, yOff + n) at " + i + ", n = " + n);
                    } else {
                        double tol = Math.ulp(1f) * (Math.abs(a * x[i + 1]) + Math.abs(y[i]));
                        assertEquals(scalar[i], vector[i], tol, "axpy n = " + n + ", offset " + off + ", entry " + i);
                    }
                }
            }
        }
    }

    @Test
    void dotAgreesWithThePlainLoop() {
        Rng rng = new Rng(2);
        for (int n = 0; n <= MAX_LENGTH; n++) {
            for (int off : new int[] {0, 5}) {
                float[] x = gaussian(rng, n + off);
                float[] y = gaussian(rng, n + off + 2);
                double exact = 0;
                double magnitude = 0;
                for (int i = 0; i < n; i++) {
                    exact += (double) x[off + i] * y[off + 2 + i];
                    magnitude += Math.abs((double) x[off + i] * y[off + 2 + i]);
                }
                double tol = (n + 1) * Math.ulp(1f) * magnitude;
                float scalar = ScalarSimd.dot(n, x, off, y, off + 2);
                float vector = VectorSimd.dot(n, x, off, y, off + 2);
                assertEquals(exact, scalar, tol, "scalar dot, n = " + n);
                assertEquals(exact, vector, tol, "vector dot, n = " + n);
            }
        }
    }

    @Test
    void dotGivesTheSameBitsBeforeAndAfterTheJitCompilesIt() {
        Rng rng = new Rng(3);
        int n = 257;
        int pairs = 64;   // another order of additions changes the last bit of some dot products, not of all
        float[][] x = new float[pairs][];
        float[][] y = new float[pairs][];
        float[] expected = new float[pairs];
        for (int p = 0; p < pairs; p++) {
            x[p] = gaussian(rng, n);
            y[p] = gaussian(rng, n);
            expected[p] = laneOrderedDot(VectorSimd.bitSize() / Float.SIZE, n, x[p], y[p]);
        }
        // enough calls for the JIT's top tier to compile dot; every one must give the documented order's bits
        for (int call = 0; call < 40_000; call++) {
            int p = call % pairs;
            float got = VectorSimd.dot(n, x[p], 0, y[p], 0);
            if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(expected[p])) {
                throw new AssertionError("call " + call + " of VectorSimd.dot gave " + got + " instead of "
                        + expected[p] + ": the order of its additions changed");
            }
        }
    }

    /** VectorSimd.dot's documented order: fused multiply-adds per lane, lanes summed in order, then the tail. */
    private static float laneOrderedDot(int lanes, int n, float[] x, float[] y) {
        int bound = n - n % lanes;
        float[] acc = new float[lanes];
        for (int i = 0; i < bound; i += lanes) {
            for (int l = 0; l < lanes; l++) {
                acc[l] = Math.fma(x[i + l], y[i + l], acc[l]);
            }
        }
        float s = 0f;
        for (int l = 0; l < lanes; l++) {
            s += acc[l];
        }
        for (int i = bound; i < n; i++) {
            s = Math.fma(x[i], y[i], s);
        }
        return s;
    }

    @Test
    void scalarPathComputesTheTextbookFormulas() {
        float[] y = {1f, 1f, 1f};
        ScalarSimd.axpy(2, 2f, new float[] {0f, 3f, 4f}, 1, y, 1);
        assertArrayEquals(new float[] {1f, 7f, 9f}, y);
        assertEquals(32f, ScalarSimd.dot(3, new float[] {1f, 2f, 3f}, 0, new float[] {4f, 5f, 6f}, 0));
        assertEquals(0f, VectorSimd.dot(0, new float[0], 0, new float[0], 0));
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }
}
