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
 * A layer's forward pass, {@code y = σ(x·Wᵀ + b)}: fused ({@link Gemm#linear} with the bias and the sigmoid applied
 * to each tile as it is computed) against the three separate passes it replaces (abt, the bias, the sigmoid). The
 * shapes are a hidden layer of the 20-layer network of {@code nabla bench deep} and the first layer of the MLP.
 * Run: {@code java --add-modules jdk.incubator.vector -jar nabla-bench/target/benchmarks.jar LinearBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LinearBenchmark {
    /** batch × in → out. */
    @Param({"128x256x256", "128x784x512"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    private int m;
    private int k;
    private int n;
    private float[] x;
    private float[] w;
    private float[] b;
    private float[] y;

    @Setup
    public void setUp() {
        String[] size = shape.split("x");
        m = Integer.parseInt(size[0]);
        k = Integer.parseInt(size[1]);
        n = Integer.parseInt(size[2]);
        Parallel.setThreads(threads);
        Random random = new Random(1);
        x = new float[m * k];
        w = new float[n * k];
        b = new float[n];
        y = new float[m * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian() / (float) Math.sqrt(k);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
    }

    @Benchmark
    public float[] fused() {
        Gemm.linear(x, w, b, Gemm.Epilogue.SIGMOID, y, m, k, n);
        return y;
    }

    @Benchmark
    public float[] separatePasses() {
        Gemm.abt(x, w, y, m, k, n, false);
        Elementwise.addBroadcast(y, b, 1f, y);
        Elementwise.sigmoid(y, y);
        return y;
    }
}
