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
