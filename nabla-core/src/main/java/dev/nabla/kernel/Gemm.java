package dev.nabla.kernel;

import java.util.Arrays;

/**
 * Single-precision matrix products on row-major arrays, the three that training needs:
 * {@code C = A·B} (forward), {@code C = Aᵀ·B} (weight gradients) and {@code C = A·Bᵀ} (input gradients, and
 * {@code x·Wᵀ} for PyTorch's weight layout). Each can overwrite C or accumulate into it.
 *
 * <p>With the Vector API ({@link Simd#VECTORIZED}) the products run on {@code VectorGemm}: cache-blocked (k blocks
 * of 512, column blocks of 512), with packed panels where packing pays, a register-blocked micro-kernel as wide
 * as the CPU's vectors, the transposes absorbed by the packing, and split over {@link Parallel#threads()} cores
 * when the product is large enough (2·m·n·k ≥ 2 million operations). Once the JIT has compiled it, a product
 * allocates nothing: each thread allocates its packing buffers on its first product and keeps them. Without
 * the Vector API the products run as plain loops, split over rows.
 *
 * <p>Results do not depend on the thread count: each element of C is computed by one thread, with arithmetic
 * that depends on the shape only (on the Vector API path, for most shapes, one chain of fused multiply-adds over
 * k in order, started from C when accumulating). {@link GemmNaive} is the triple-loop reference the tests
 * compare against.
 */
public final class Gemm {
    private Gemm() {
    }

    /**
     * {@code C[m×n] (+)= A[m×k] · B[k×n]}. Reads a and b; writes c (adds into it when {@code accumulate}).
     */
    public static void ab(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check("ab", a, "A[m×k]", (long) m * k, b, "B[k×n]", (long) k * n, c, m, k, n);
        if (Simd.VECTORIZED) {
            VectorGemm.multiply(false, false, a, b, c, m, k, n, accumulate);
            return;
        }
        Parallel.forRange(m, (long) m * k * n, (from, to) -> {
            for (int i = from; i < to; i++) {
                if (!accumulate) {
                    Arrays.fill(c, i * n, (i + 1) * n, 0f);
                }
                for (int p = 0; p < k; p++) {
                    ScalarSimd.axpy(n, a[i * k + p], b, p * n, c, i * n);
                }
            }
        });
    }

    /**
     * {@code C[m×n] (+)= Aᵀ · B} where A is stored {@code [k×m]} and B {@code [k×n]}. Reads a and b; writes c.
     */
    public static void atb(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check("atb", a, "A[k×m]", (long) k * m, b, "B[k×n]", (long) k * n, c, m, k, n);
        if (Simd.VECTORIZED) {
            VectorGemm.multiply(true, false, a, b, c, m, k, n, accumulate);
            return;
        }
        Parallel.forRange(m, (long) m * k * n, (from, to) -> {
            if (!accumulate) {
                Arrays.fill(c, from * n, to * n, 0f);
            }
            for (int p = 0; p < k; p++) {
                for (int i = from; i < to; i++) {
                    ScalarSimd.axpy(n, a[p * m + i], b, p * n, c, i * n);
                }
            }
        });
    }

    /**
     * {@code C[m×n] (+)= A · Bᵀ} where A is stored {@code [m×k]} and B {@code [n×k]}. Reads a and b; writes c.
     */
    public static void abt(float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        check("abt", a, "A[m×k]", (long) m * k, b, "B[n×k]", (long) n * k, c, m, k, n);
        if (Simd.VECTORIZED) {
            VectorGemm.multiply(false, true, a, b, c, m, k, n, accumulate);
            return;
        }
        Parallel.forRange(m, (long) m * k * n, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int j = 0; j < n; j++) {
                    float dot = ScalarSimd.dot(k, a, i * k, b, j * k);
                    c[i * n + j] = accumulate ? c[i * n + j] + dot : dot;
                }
            }
        });
    }

    /**
     * The element-wise function {@link #linear} applies to each tile of its output after the bias, so that a
     * layer's activation costs no pass of its own over memory. Each gives the bits of the matching
     * {@link Elementwise} function.
     */
    public enum Epilogue {
        /** Nothing: the affine map alone. */
        NONE,
        /** {@link Elementwise#relu}. */
        RELU,
        /** {@link Elementwise#sigmoid}. */
        SIGMOID,
        /** {@link Elementwise#tanh}. */
        TANH;

        /** Applies this function in place to {@code a[from, to)}. */
        void apply(float[] a, int from, int to) {
            switch (this) {
                case NONE -> { }
                case RELU -> Elementwise.relu(a, a, from, to);
                case SIGMOID -> Elementwise.sigmoid(a, a, from, to);
                case TANH -> Elementwise.tanh(a, a, from, to);
            }
        }
    }

    /**
     * PyTorch's linear, then an activation: {@code Y[m×n] = f(X · Wᵀ + bias)} with X stored {@code [m×k]}, W
     * {@code [n×k]}, bias {@code [n]} (or null for none) and f the epilogue. {@link #abt}, with the bias and f applied
     * to each tile of Y as soon as it is computed, by the thread that computed it. Same values as abt followed by
     * separate bias and activation passes, without those passes reading Y back from memory (half of it from the
     * other core's cache when two threads made it).
     */
    public static void linear(float[] x, float[] w, float[] bias, Epilogue f, float[] y, int m, int k, int n) {
        check("linear", x, "X[m×k]", (long) m * k, w, "W[n×k]", (long) n * k, y, m, k, n);
        if (bias != null && bias.length != n) {
            throw new IllegalArgumentException("GEMM linear: bias has " + bias.length + " values for n=" + n
                    + " output columns");
        }
        if (Simd.VECTORIZED) {
            VectorGemm.multiply(false, true, x, w, bias, f, y, m, k, n, false);
            return;
        }
        abt(x, w, y, m, k, n, false);
        if (bias != null) {
            Elementwise.addBroadcast(y, bias, 1f, y);
        }
        f.apply(y, 0, y.length);
    }

    private static void check(String op, float[] a, String aShape, long aSize, float[] b, String bShape, long bSize,
                              float[] c, int m, int k, int n) {
        if (m < 0 || k < 0 || n < 0) {
            throw new IllegalArgumentException("GEMM " + op + ": negative size m=" + m + ", k=" + k + ", n=" + n);
        }
        if (aSize > Integer.MAX_VALUE || bSize > Integer.MAX_VALUE || (long) m * n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GEMM " + op + ": m=" + m + ", k=" + k + ", n=" + n
                    + " needs arrays of more than 2³¹ − 1 floats");
        }
        if (a.length < aSize || b.length < bSize || c.length < (long) m * n) {
            throw new IllegalArgumentException("GEMM arrays too small for " + op + " with m=" + m + ", k=" + k
                    + ", n=" + n + ": a " + a.length + "/" + aSize + " for " + aShape + ", b " + b.length + "/"
                    + bSize + " for " + bShape + ", c " + c.length + "/" + (long) m * n + " for C[m×n]");
        }
    }
}
