package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nabla must load and compute correctly in a JVM started without {@code --add-modules jdk.incubator.vector}:
 * this test starts such a JVM on the test class path and runs {@link Probe} in it.
 */
class SimdFallbackTest {
    /** Runs in the child JVM: prints the kernel path, then a checksum of a small GEMM. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(Simd.describe());
            System.out.println(checksum());
            System.out.println(memoryBoundChecksum());
            System.out.println(linearChecksum());
        }
    }

    /**
     * The passes with their own Vector API classes besides GEMM, on shapes with whole vectors and a tail: batch-norm
     * statistics, normalisation and backward on [N, C] = [19, 37], the row broadcast and column sums, a·e^x and the
     * NaN scan. Each path gives the same bits as the other, so the sums must agree.
     */
    static double memoryBoundChecksum() {
        int n = 19;
        int c = 37;
        float[] x = new float[n * c];
        float[] dy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 13) / 4f - 1f + (i % 37) * 0.1f;
            dy[i] = (i % 5) / 2f - 1f;
        }
        float[] gamma = new float[c];
        float[] beta = new float[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = 1f + ch / 40f;
            beta[ch] = ch / 10f - 1f;
        }
        float[] mean = new float[c];
        float[] var = new float[c];
        float[] invStd = new float[c];
        BatchNormKernels.meanVar(x, n, c, 1, mean, var);
        BatchNormKernels.invStd(var, 1e-5, invStd);
        float[] y = new float[x.length];
        BatchNormKernels.normalize(x, n, c, 1, mean, invStd, gamma, beta, y);
        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        BatchNormKernels.gradSums(x, dy, n, c, 1, mean, invStd, sumDy, sumDyXhat);
        float[] dx = new float[x.length];
        BatchNormKernels.inputGradBatchStats(x, dy, n, c, 1, mean, invStd, gamma, sumDy, sumDyXhat, dx);
        float[] shifted = new float[x.length];
        Elementwise.addBroadcast(x, beta, 0.5f, shifted);
        float[] colSums = new float[c];
        Elementwise.sumRows(shifted, colSums);
        float[] e = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = -Math.abs(x[i]);
        }
        Elementwise.scaledExp(e, 3, x.length - 2, 0.25f, e);
        double s = Elementwise.firstNaN(x) + Elementwise.firstNonFinite(x);
        for (int ch = 0; ch < c; ch++) {
            s += mean[ch] + var[ch] + sumDy[ch] + sumDyXhat[ch] + colSums[ch];
        }
        for (int i = 0; i < x.length; i++) {
            s += y[i] * 0.5 + dx[i] * 2 + e[i];
        }
        return s;
    }

    static double checksum() {
        int m = 7;
        int k = 13;
        int n = 37;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (i % 11) / 10f - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 7) / 3f - 1f;
        }
        float[] c = new float[m * n];
        Gemm.ab(a, b, c, m, k, n, false);
        double s = 0;
        for (float v : c) {
            s += v;
        }
        return s;
    }

    /** {@link Gemm#linear} with a bias and each epilogue on [19, 21]·[37, 21]ᵀ: the tile-by-tile path and the plain loops. */
    static double linearChecksum() {
        int m = 19;
        int k = 21;
        int n = 37;
        float[] x = new float[m * k];
        float[] w = new float[n * k];
        float[] b = new float[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 9) / 4f - 1f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 5) / 10f - 0.2f;
        }
        for (int j = 0; j < n; j++) {
            b[j] = j / 20f - 1f;
        }
        double s = 0;
        float[] y = new float[m * n];
        for (Gemm.Epilogue f : Gemm.Epilogue.values()) {
            Gemm.linear(x, w, b, f, y, m, k, n);
            for (float v : y) {
                s += v * (f.ordinal() + 1);
            }
        }
        return s;
    }

    @Test
    void withoutTheVectorModuleTheScalarPathGivesTheSameResults() throws IOException, InterruptedException {
        assertTrue(Simd.VECTORIZED, "the build runs tests with the Vector API module");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                Probe.class.getName()).redirectErrorStream(true).start();
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\n");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join("\n", lines));
        assertEquals("scalar", lines[0], String.join("\n", lines));
        assertEquals(checksum(), Double.parseDouble(lines[1]), 1e-4);
        assertEquals(memoryBoundChecksum(), Double.parseDouble(lines[2]), 1e-6 * Math.abs(memoryBoundChecksum()));
        assertEquals(linearChecksum(), Double.parseDouble(lines[3]), 1e-5 * Math.abs(linearChecksum()));
    }
}
