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
        }
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
    }
}
