package dev.nabla.kernel;

/**
 * The vector primitives the kernels are built from, on the Vector API ({@code jdk.incubator.vector}) when the
 * JVM has that module, and on plain loops otherwise. Both paths give the same results within float32 rounding.
 *
 * <p>Start the JVM with {@code --add-modules jdk.incubator.vector} (the {@code nabla} launcher does) for the fast
 * path; without it Nabla still works, slower. {@code -Dnabla.simd=scalar} forces the plain loops.
 */
public final class Simd {
    /** True when the Vector API path is in use. */
    public static final boolean VECTORIZED = detect();

    private Simd() {
    }

    private static boolean detect() {
        if ("scalar".equals(System.getProperty("nabla.simd"))) {
            return false;
        }
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /** A short description for logs and reports, such as {@code "Vector API, 512-bit"} or {@code "scalar"}. */
    public static String describe() {
        return VECTORIZED ? "Vector API, " + VectorSimd.bitSize() + "-bit" : "scalar";
    }

    /** {@code y[yOff + i] += a · x[xOff + i]} for {@code i < n}. Reads x, writes y. */
    public static void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
        if (VECTORIZED) {
            VectorSimd.axpy(n, a, x, xOff, y, yOff);
        } else {
            ScalarSimd.axpy(n, a, x, xOff, y, yOff);
        }
    }

    /** {@code Σ x[xOff + i] · y[yOff + i]} for {@code i < n}. Reads both. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        return VECTORIZED ? VectorSimd.dot(n, x, xOff, y, yOff) : ScalarSimd.dot(n, x, xOff, y, yOff);
    }
}
