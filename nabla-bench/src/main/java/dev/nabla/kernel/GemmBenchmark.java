package dev.nabla.kernel;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of the three GEMM products at the MLP's shapes ({@code m×k·k×n}, batch × in · in × out) and square sizes.
 * Run: {@code java --add-modules jdk.incubator.vector -jar nabla-bench/target/benchmarks.jar GemmBenchmark}.
 * GFLOP/s = 2·m·k·n / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"128x784x512", "128x512x256", "128x256x10", "256x256x256", "1024x1024x1024"})
    public String shape;

    private int m;
    private int k;
    private int n;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        String[] parts = shape.split("x");
        m = Integer.parseInt(parts[0]);
        k = Integer.parseInt(parts[1]);
        n = Integer.parseInt(parts[2]);
        Random random = new Random(1);
        a = new float[m * k];
        b = new float[Math.max(k * n, n * k)];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextFloat() - 0.5f;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextFloat() - 0.5f;
        }
    }

    /** Forward: C = A·B. */
    @Benchmark
    public float[] ab() {
        Gemm.ab(a, b, c, m, k, n, false);
        return c;
    }

    /** Weight gradient: C = Aᵀ·B with A stored [k×m]. */
    @Benchmark
    public float[] atb() {
        Gemm.atb(a, b, c, m, k, n, false);
        return c;
    }

    /** Input gradient: C = A·Bᵀ with B stored [n×k]. */
    @Benchmark
    public float[] abt() {
        Gemm.abt(a, b, c, m, k, n, false);
        return c;
    }
}
