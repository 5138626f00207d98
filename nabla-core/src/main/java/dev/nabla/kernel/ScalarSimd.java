package dev.nabla.kernel;

/** The plain-loop twin of {@link VectorSimd}: the fallback, and the reference the tests compare against. */
final class ScalarSimd {
    private ScalarSimd() {
    }

    static void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += a * x[xOff + i];
        }
    }

    static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i] * y[yOff + i];
        }
        return s;
    }
}
