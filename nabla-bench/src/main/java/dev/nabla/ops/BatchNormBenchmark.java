package dev.nabla.ops;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
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

/** The fused batch-normalisation op in training mode, forward alone and forward + backward, at [batch, features]. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class BatchNormBenchmark {
    @Param({"128x512", "128x256", "512x512"})
    public String shape;

    private Tensor x;
    private Tensor runningMean;
    private Tensor runningVar;
    private Tensor gamma;
    private Tensor beta;
    private Tensor upstream;

    @Setup
    public void setUp() {
        String[] parts = shape.split("x");
        int n = Integer.parseInt(parts[0]);
        int c = Integer.parseInt(parts[1]);
        Rng rng = new Rng(1);
        x = Tensor.randn(rng, n, c).requiresGrad(true);
        runningMean = Tensor.zeros(c);
        runningVar = Tensor.ones(c);
        gamma = Tensor.ones(c).requiresGrad(true);
        beta = Tensor.zeros(c).requiresGrad(true);
        upstream = Tensor.randn(rng, n, c);
    }

    @Benchmark
    public Tensor forward() {
        return Functional.batchNorm(x.detach(), runningMean, runningVar, gamma.detach(), beta.detach(), true, 0.1, 1e-5);
    }

    @Benchmark
    public Tensor forwardBackward() {
        x.zeroGrad();
        gamma.zeroGrad();
        beta.zeroGrad();
        Tensor y = Functional.batchNorm(x, runningMean, runningVar, gamma, beta, true, 0.1, 1e-5);
        y.backward(upstream);
        return x.grad();
    }
}
