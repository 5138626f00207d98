package dev.nabla.optim;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
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

/** One optimizer step over the parameters of the reference MLP 784-512-256-10 (535 818 values). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class OptimizerBenchmark {
    @Param({"sgd-momentum", "adam", "adamw"})
    public String kind;

    private Optimizer optimizer;

    @Setup
    public void setUp() {
        Rng rng = new Rng(1);
        int[][] shapes = {{512, 784}, {512}, {256, 512}, {256}, {10, 256}, {10}};
        List<Tensor> params = new ArrayList<>();
        for (int[] shape : shapes) {
            Tensor p = Tensor.randn(rng, shape).requiresGrad(true);
            p.setGrad(Tensor.randn(rng, shape));
            params.add(p);
        }
        optimizer = switch (kind) {
            case "adam" -> new Adam(params, 1e-3);
            case "adamw" -> new AdamW(params, 1e-3);
            default -> new SGD(params, 0.01, SGD.Options.defaults().withMomentum(0.9));
        };
    }

    @Benchmark
    public Optimizer step() {
        optimizer.step();
        return optimizer;
    }
}
