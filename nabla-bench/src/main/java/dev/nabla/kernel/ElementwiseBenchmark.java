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
 * The memory-bound activation kernels at a hidden layer's size (batch × width), forward and backward.
 * Run: {@code java --add-modules jdk.incubator.vector -jar nabla-bench/target/benchmarks.jar ElementwiseBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBenchmark {
    @Param({"32768", "131072"})
    public int size;

    private float[] x;
    private float[] y;
    private float[] dy;
    private float[] dx;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        x = new float[size];
        dy = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) random.nextGaussian() * 3;
            dy[i] = (float) random.nextGaussian();
        }
        y = new float[size];
        dx = new float[size];
        Elementwise.sigmoid(x, y);
    }

    @Benchmark
    public float[] sigmoid() {
        Elementwise.sigmoid(x, y);
        return y;
    }

    @Benchmark
    public float[] sigmoidBackward() {
        Elementwise.sigmoidBackward(y, dy, dx);
        return dx;
    }

    @Benchmark
    public float[] tanh() {
        Elementwise.tanh(x, y);
        return y;
    }

    @Benchmark
    public float[] relu() {
        Elementwise.relu(x, y);
        return y;
    }

    @Benchmark
    public float[] reluBackward() {
        Elementwise.reluBackward(x, dy, dx);
        return dx;
    }
}
