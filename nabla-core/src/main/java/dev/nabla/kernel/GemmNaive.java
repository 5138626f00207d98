package dev.nabla.kernel;

/**
 * The textbook triple loop for the three products of {@link Gemm}, accumulating in double: the algorithmic
 * reference the fast kernels are tested against. Too slow for training.
 */
public final class GemmNaive {
    private GemmNaive() {
    }

    /** {@code C[m×n] (+)= op(A)·op(B)}; {@code transA}: A stored [k×m]; {@code transB}: B stored [n×k]. Writes c. */
    public static void gemm(boolean transA, boolean transB, float[] a, float[] b, float[] c,
                            int m, int k, int n, boolean accumulate) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = accumulate ? c[i * n + j] : 0.0;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[p * m + i] : a[i * k + p];
                    float bv = transB ? b[j * k + p] : b[p * n + j];
                    s += (double) av * bv;
                }
                c[i * n + j] = (float) s;
            }
        }
    }
}
