package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} against the triple loop of {@link GemmNaive}, on odd shapes that leave vector tails and uneven
 * thread chunks, and bit-identical across thread counts.
 */
class GemmTest {
    /** The three products, named after Gemm's methods. */
    enum Product {
        AB(false, false), ATB(true, false), ABT(false, true);

        final boolean transA;
        final boolean transB;

        Product(boolean transA, boolean transB) {
            this.transA = transA;
            this.transB = transB;
        }

        void fast(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
            switch (this) {
                case AB -> Gemm.ab(a, b, c, m, k, n, accumulate);
                case ATB -> Gemm.atb(a, b, c, m, k, n, accumulate);
                case ABT -> Gemm.abt(a, b, c, m, k, n, accumulate);
            }
        }
    }

    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    static Stream<Arguments> cases() {
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {129, 257, 33}, {3, 0, 4}};
        Stream.Builder<Arguments> out = Stream.builder();
        for (int[] s : shapes) {
            for (Product p : Product.values()) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    out.add(Arguments.of(p, s[0], s[1], s[2], accumulate));
                }
            }
        }
        return out.build();
    }

    @ParameterizedTest(name = "{0} {1}x{2}x{3} accumulate={4}")
    @MethodSource("cases")
    void matchesTheNaiveProductWithOneAndTwoThreads(Product p, int m, int k, int n, boolean accumulate) {
        Rng rng = new Rng(31L * m + 7L * k + n);
        float[] a = gaussian(rng, m * k);
        float[] b = gaussian(rng, k * n);
        float[] c0 = gaussian(rng, m * n);

        float[] expected = c0.clone();
        GemmNaive.gemm(p.transA, p.transB, a, b, expected, m, k, n, accumulate);
        // error bound for a float32 dot product of length k: about k·2⁻²⁴ of Σ|a||b| (plus |c| when accumulating)
        float[] magnitude = accumulate ? abs(c0) : new float[m * n];
        GemmNaive.gemm(p.transA, p.transB, abs(a), abs(b), magnitude, m, k, n, true);

        float[][] results = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            float[] c = c0.clone();
            p.fast(a, b, c, m, k, n, accumulate);
            results[threads - 1] = c;
            for (int i = 0; i < c.length; i++) {
                double tol = 2.0 * (k + 1) * Math.ulp(1f) * magnitude[i] + 1e-30;
                if (!(Math.abs(c[i] - expected[i]) <= tol)) {
                    fail(p + " " + m + "x" + k + "x" + n + " with " + threads + " thread(s): entry [" + i / n + ", "
                            + i % n + "] is " + c[i] + ", the naive product gives " + expected[i] + " (tolerance "
                            + tol + ")");
                }
            }
        }
        assertArrayEquals(results[0], results[1], "results differ between 1 and 2 threads");
    }

    @Test
    void overwritesRatherThanAddsWhenNotAccumulating() {
        float[] c = {100f, 100f, 100f, 100f};
        Gemm.ab(new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1}, c, 2, 2, 2, false);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        Gemm.abt(new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1}, c, 2, 2, 2, true);
        assertArrayEquals(new float[] {2, 4, 6, 8}, c);
    }

    @Test
    void rejectsArraysTooSmallForTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.ab(new float[6], new float[6], new float[3], 2, 3, 2, false));
        assertTrue(e.getMessage().contains("c 3/4"), e.getMessage());
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }

    private static float[] abs(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.abs(x[i]);
        }
        return out;
    }
}
