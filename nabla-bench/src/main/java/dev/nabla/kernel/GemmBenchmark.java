package dev.nabla.kernel;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Speed of the three GEMM products, in GFLOP/s: the secondary result {@code gflop} (in ops/ns, which is
 * GFLOP/s) counts 2·m·k·n floating-point operations per call; the primary result is calls per nanosecond.
 *
 * <p>A case is {@code "product m×k×n"}: {@code ab} is C[m×n] = A[m×k]·B[k×n], {@code atb} is C = Aᵀ·B with A
 * stored [k×m] and {@code abt} is C = A·Bᵀ with B stored [n×k], as in {@link Gemm}. The cases are the square
 * sizes 128–2048 and the forward shapes of the 784-512-256-10 MLP (batch 128 and 32) for all three products,
 * then the gradient products of that MLP with weights stored [in, out]: dW = Xᵀ·dY ({@code atb}, m = fan-in,
 * k = batch, n = fan-out) and dX = dY·Wᵀ ({@code abt}). (Nabla's own layers store weights [out, in]; their
 * gradients are {@code ab} and {@code atb} products of the same sizes.)
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -jar nabla-bench/target/benchmarks.jar GemmBenchmark},
 * e.g. with {@code -p threads=2 -p product="ab 1024x1024x1024"}. Compare with numpy on the same machine,
 * interleaved ({@code python3 bench/pytorch/gemm.py --lib numpy}, set up as {@code bench/compare} sets it up).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({
        "ab 128x128x128", "ab 256x256x256", "ab 512x512x512", "ab 1024x1024x1024", "ab 2048x2048x2048",
        "ab 128x784x512", "ab 128x512x256", "ab 128x256x10", "ab 32x784x512",
        "atb 128x128x128", "atb 256x256x256", "atb 512x512x512", "atb 1024x1024x1024", "atb 2048x2048x2048",
        "atb 128x784x512", "atb 128x512x256", "atb 128x256x10", "atb 32x784x512",
        "abt 128x128x128", "abt 256x256x256", "abt 512x512x512", "abt 1024x1024x1024", "abt 2048x2048x2048",
        "abt 128x784x512", "abt 128x512x256", "abt 128x256x10", "abt 32x784x512",
        // gradients: dW1..dW3 and dW1 at batch 32, then dX1..dX3 and dX1 at batch 32
        "atb 784x128x512", "atb 512x128x256", "atb 256x128x10", "atb 784x32x512",
        "abt 128x512x784", "abt 128x256x512", "abt 128x10x256", "abt 32x512x784",
    })
    public String product;

    @Param({"1", "2"})
    public int threads;

    private int op;
    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;

    /** Floating-point operations done, reported per nanosecond: GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflop;

        @Setup(Level.Iteration)
        public void clear() {
            gflop = 0;
        }
    }

    @Setup
    public void setUp() {
        String[] parts = product.split(" ");
        op = switch (parts[0]) {
            case "ab" -> 0;
            case "atb" -> 1;
            case "abt" -> 2;
            default -> throw new IllegalArgumentException("unknown product " + parts[0] + ": ab, atb or abt");
        };
        String[] size = parts[1].split("x");
        m = Integer.parseInt(size[0]);
        k = Integer.parseInt(size[1]);
        n = Integer.parseInt(size[2]);
        Parallel.setThreads(threads);
        Random random = new Random(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
    }

    @Benchmark
    public float[] gemm(Flops flops) {
        switch (op) {
            case 0 -> Gemm.ab(a, b, c, m, k, n, false);
            case 1 -> Gemm.atb(a, b, c, m, k, n, false);
            default -> Gemm.abt(a, b, c, m, k, n, false);
        }
        flops.gflop += 2.0 * m * k * n;
        return c;
    }
}
