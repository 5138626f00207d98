package dev.nabla.kernel;

import java.util.Arrays;

/**
 * Single-precision matrix products on row-major arrays, the three that training needs:
 * {@code C = A·B} (forward), {@code C = Aᵀ·B} (weight gradients) and {@code C = A·Bᵀ} (input gradients, and
 * {@code x·Wᵀ} for PyTorch's weight layout). Each can overwrite C or accumulate into it.
 *
 * <p>Straightforward row-at-a-time loops on {@link Simd} primitives, split over output rows across
 * {@link Parallel} threads: each output row is computed by one thread in a fixed order, so results do not
 * depend on the thread count. {@link GemmNaive} is the triple-loop reference the tests compare against.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * {@code C[m×n] (+)= A[m×k] · B[k×n]}. Reads a and b; writes c (adds into it when {@code accumulate}).
     */
    public static void ab(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check(a, m * k, b, k * n, c, m * n);
        Parallel.forRange(m, (long) m * k * n, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!accumulate) {
                    Arrays.fill(c, i * n, (i + 1) * n, 0f);
                }
                for (int p = 0; p < k; p++) {
                    Simd.axpy(n, a[i * k + p], b, p * n, c, i * n);
                }
            }
        });
    }

    /**
     * {@code C[m×n] (+)= Aᵀ · B} where A is stored {@code [k×m]} and B {@code [k×n]}. Reads a and b; writes c.
     */
    public static void atb(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check(a, k * m, b, k * n, c, m * n);
        Parallel.forRange(m, (long) m * k * n, (from, to) -> {
            if (!accumulate) {
                Arrays.fill(c, from * n, to * n, 0f);
            }
            for (int p = 0; p < k; p++) {
                for (int i = from; i < to; i++) {
                    Simd.axpy(n, a[p * m + i], b, p * n, c, i * n);
                }
            }
        });
    }

    /**
     * {@code C[m×n] (+)= A · Bᵀ} where A is stored {@code [m×k]} and B {@code [n×k]}. Reads a and b; writes c.
     */
    public static void abt(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check(a, m * k, b, n * k, c, m * n);
        Parallel.forRange(m, (long) m * k * n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    float dot = Simd.dot(k, a, i * k, b, j * k);
                    c[i * n + j] = accumulate ? c[i * n + j] + dot : dot;
                }
            }
        });
    }

    private static void check(float[] a, int aSize, float[] b, int bSize, float[] c, int cSize) {
        if (a.length < aSize || b.length < bSize || c.length < cSize) {
            throw new IllegalArgumentException("GEMM arrays too small: a " + a.length + "/" + aSize + ", b "
                    + b.length + "/" + bSize + ", c " + c.length + "/" + cSize);
        }
    }
}
