package dev.nabla.kernel;

/**
 * Which path the kernels take: the Vector API ({@code jdk.incubator.vector}) when the JVM has that module, plain
 * loops otherwise. Each kernel checks {@link #VECTORIZED} and calls its vector twin ({@code VectorGemm},
 * {@code VectorSoftmax}, {@code VectorElementwise}, {@code VectorSimd}) or its scalar loop; both give the same
 * results within float32 rounding.
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
}
