package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Gemm} against the triple loop of {@link GemmNaive} on shapes that cross every blocking boundary of
 * {@link VectorGemm} (k blocks of 512, column blocks of 512, tiles of 14, 12, 8 or 16 rows and 16, 32 or 48
 * columns, the in-place limits at 256 rows and columns, the thread split), bit-identical across thread counts.
 *
 * <p>Tolerance: a float32 sum of k products, each rounded, is within about k·2⁻²⁴ of the exact value relative
 * to Σ|a||b| (plus |c| when accumulating). The tests allow 2·(k + 1)·2⁻²³ of that magnitude, four times the
 * bound: a wrong element (a missing or doubled product, a transposed index) is off by about one whole product.
 */
@ExtendWith(RestoreThreads.class)
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

    /** m × k × n; the comment says which boundary each group crosses. */
    static final int[][] SHAPES = {
        // small and degenerate: one partial tile, k = 1, a row vector, empty products
        {1, 1, 1}, {7, 13, 5}, {13, 1, 17}, {1, 784, 10}, {33, 17, 31}, {3, 0, 4}, {0, 5, 3}, {4, 5, 0},
        // k around the k block (512) and its balanced splits (784 = 2 × 392, 1025 = 2 × 342 + 341)
        {15, 255, 33}, {15, 511, 33}, {15, 512, 33}, {15, 513, 33}, {15, 784, 33}, {13, 513, 17}, {9, 1025, 20},
        // n around the vector (16), tile (32, 48) and column block (512 or 480) widths
        {14, 257, 15}, {14, 257, 16}, {14, 257, 17}, {14, 257, 31}, {14, 257, 32}, {14, 257, 33},
        {32, 70, 47}, {32, 70, 48}, {32, 70, 49}, {14, 257, 1025},
        // m around the tile heights (8, 12, 14, 16, 28)
        {13, 40, 40}, {14, 40, 40}, {15, 40, 40}, {28, 40, 40}, {29, 40, 70}, {257, 31, 40},
        // past the in-place limits: B packed (m > 256), Aᵀ packed (n > 256), two k blocks; large enough to split
        {129, 257, 33}, {300, 300, 300}, {257, 100, 257}, {600, 300, 10}, {40, 520, 600},
        // A·Bᵀ with m small against n, computed as Cᵀ = B·Aᵀ: the buffer, its L × L copies to C and their edges
        {20, 300, 530}, {32, 784, 512},
    };

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (int[] s : SHAPES) {
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
    void matchesTheNaiveProductBitIdenticallyOnOneTwoAndThreeThreads(Product p, int m, int k, int n,
                                                                      boolean accumulate) {
        Rng rng = new Rng(31L * m + 7L * k + n);
        float[] a = gaussian(rng, m * k);
        float[] b = gaussian(rng, k * n);
        float[] c0 = gaussian(rng, m * n);

        float[] expected = c0.clone();
        GemmNaive.gemm(p.transA, p.transB, a, b, expected, m, k, n, accumulate);
        float[] magnitude = accumulate ? abs(c0) : new float[m * n];
        GemmNaive.gemm(p.transA, p.transB, abs(a), abs(b), magnitude, m, k, n, true);

        float[] first = null;
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] c = c0.clone();
            p.fast(a, b, c, m, k, n, accumulate);
            for (int i = 0; i < c.length; i++) {
                double tol = 2.0 * (k + 1) * Math.ulp(1f) * magnitude[i] + 1e-30;
                if (!(Math.abs(c[i] - expected[i]) <= tol)) {
                    fail(p + " " + m + "x" + k + "x" + n + " with " + threads + " thread(s): entry [" + i / n + ", "
                            + i % n + "] is " + c[i] + ", the naive product gives " + expected[i] + " (tolerance "
                            + tol + ")");
                }
            }
            if (first == null) {
                first = c;
            } else {
                assertArrayEquals(first, c, p + " " + m + "x" + k + "x" + n + ": results differ between 1 and "
                        + threads + " threads");
            }
        }
    }

    static Stream<Arguments> linearCases() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (int[] s : SHAPES) {
            for (Gemm.Epilogue f : Gemm.Epilogue.values()) {
                out.add(Arguments.of(f, s[0] % 2 == 0, s[0], s[1], s[2]));
            }
        }
        return out.build();
    }

    /**
     * {@code linear}'s bias and activation, applied tile by tile on whichever thread made the tile, give the bits of
     * abt followed by the separate passes.
     */
    @ParameterizedTest(name = "{0} bias={1} {2}x{3}x{4}")
    @MethodSource("linearCases")
    void linearIsAbtThenTheBiasAndActivationBitForBitOnOneTwoAndThreeThreads(Gemm.Epilogue f, boolean withBias, int m,
                                                                            int k, int n) {
        Rng rng = new Rng(17L * m + 5L * k + n);
        float[] x = gaussian(rng, m * k);
        float[] w = gaussian(rng, k * n);
        float[] bias = withBias ? gaussian(rng, n) : null;
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            float[] expected = gaussian(rng, m * n);
            Gemm.abt(x, w, expected, m, k, n, false);
            for (int i = 0; i < m; i++) {
                for (int j = 0; withBias && j < n; j++) {
                    expected[i * n + j] += bias[j];
                }
            }
            switch (f) {
                case NONE -> { }
                case RELU -> Elementwise.relu(expected, expected);
                case SIGMOID -> Elementwise.sigmoid(expected, expected);
                case TANH -> Elementwise.tanh(expected, expected);
            }
            float[] y = gaussian(rng, m * n);   // overwritten, whatever it held
            Gemm.linear(x, w, bias, f, y, m, k, n);
            assertArrayEquals(expected, y, f + " " + m + "x" + k + "x" + n + " on " + threads + " thread(s)");
        }
    }

    @Test
    void linearRejectsABiasOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.linear(new float[6], new float[6], new float[2], Gemm.Epilogue.NONE, new float[9], 3, 2, 3));
        assertTrue(e.getMessage().contains("bias has 2 values for n=3"), e.getMessage());
    }

    /**
     * The tile kernels compute every element as one chain of fused multiply-adds over k in order, from C or from
     * zero (what makes them independent of tiles and threads): check that bit for bit, also for the transposed
     * C of a narrow Aᵀ·B. (Narrow A·B and A·Bᵀ take the dot-product kernel, which sums lanes in a fixed tree.)
     */
    @Test
    void tileKernelsComputeEachElementAsAnOrderedChainOfFusedMultiplyAdds() {
        assumeTrue(Simd.VECTORIZED, "scalar path");
        int[][] shapes = {{29, 784, 70}, {300, 300, 300}, {128, 256, 40}, {128, 256, 10}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            Rng rng = new Rng(m + k + n);
            float[] a = gaussian(rng, m * k);
            float[] b = gaussian(rng, k * n);
            float[] c0 = gaussian(rng, m * n);
            for (Product p : n > 16 ? Product.values() : new Product[] {Product.ATB}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] c = c0.clone();
                    p.fast(a, b, c, m, k, n, accumulate);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float e = accumulate ? c0[i * n + j] : 0f;
                            for (int q = 0; q < k; q++) {
                                float av = p.transA ? a[q * m + i] : a[i * k + q];
                                float bv = p.transB ? b[j * k + q] : b[q * n + j];
                                e = Math.fma(av, bv, e);
                            }
                            if (Float.floatToIntBits(e) != Float.floatToIntBits(c[i * n + j])) {
                                fail(p + " " + m + "x" + k + "x" + n + " accumulate=" + accumulate + ": entry [" + i
                                        + ", " + j + "] is " + c[i * n + j] + ", the ordered chain gives " + e);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Several threads multiplying at once share one team of workers: one of them gets it, the others compute
     * alone. Every product must still come out bit-identical to the one-thread result.
     */
    @Test
    void concurrentCallersGetTheOneThreadResults() throws InterruptedException {
        int m = 61;
        int k = 300;
        int n = 97;
        Rng rng = new Rng(77);
        float[] a = gaussian(rng, m * k);
        float[] b = gaussian(rng, k * n);
        Parallel.setThreads(1);
        float[][] expected = new float[Product.values().length][m * n];
        for (Product p : Product.values()) {
            p.fast(a, b, expected[p.ordinal()], m, k, n, false);
        }
        Parallel.setThreads(2);
        int callers = 4;
        java.util.concurrent.atomic.AtomicReference<String> problem = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] threads = new Thread[callers];
        for (int t = 0; t < callers; t++) {
            threads[t] = new Thread(() -> {
                float[] c = new float[m * n];
                for (int call = 0; call < 60 && problem.get() == null; call++) {
                    Product p = Product.values()[call % 3];
                    p.fast(a, b, c, m, k, n, false);
                    if (!java.util.Arrays.equals(c, expected[p.ordinal()])) {
                        problem.compareAndSet(null, p + " call " + call + " on " + Thread.currentThread().getName()
                                + " differs from the one-thread result");
                    }
                }
            }, "caller-" + t);
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(problem.get() == null, problem.get());
    }

    @Test
    void overwritesRatherThanAddsWhenNotAccumulating() {
        float[] c = {100f, 100f, 100f, 100f};
        Gemm.ab(new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1}, c, 2, 2, 2, false);
        assertArrayEquals(new float[] {1, 2, 3, 4}, c);
        Gemm.abt(new float[] {1, 2, 3, 4}, new float[] {1, 0, 0, 1}, c, 2, 2, 2, true);
        assertArrayEquals(new float[] {2, 4, 6, 8}, c);
        Gemm.atb(new float[0], new float[0], c, 2, 0, 2, false);
        assertArrayEquals(new float[] {0, 0, 0, 0}, c);
    }

    @Test
    void writesNothingPastTheEndOfC() {
        int m = 13;
        int k = 20;
        int n = 17;
        Rng rng = new Rng(5);
        float[] a = gaussian(rng, m * k);
        float[] b = gaussian(rng, k * n);
        for (Product p : Product.values()) {
            float[] c = new float[m * n + 40];
            java.util.Arrays.fill(c, m * n, c.length, 42f);
            p.fast(a, b, c, m, k, n, false);
            for (int i = m * n; i < c.length; i++) {
                assertTrue(c[i] == 42f, p + " wrote c[" + i + "] past C[" + m + "×" + n + "]");
            }
        }
    }

    @Test
    void rejectsArraysTooSmallForTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.ab(new float[6], new float[6], new float[3], 2, 3, 2, false));
        assertTrue(e.getMessage().contains("c 3/4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.abt(new float[6], new float[6], new float[4], 2, 3, -2, false));
        assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }

    static float[] gaussian(Rng rng, int n) {
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
