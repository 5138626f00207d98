package dev.nabla.train;

import dev.nabla.kernel.Parallel;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
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

/**
 * One full training step (zero the gradients, forward, cross-entropy, backward, optimizer step) of the reference
 * MLP 784-512-256-10, Linear → BatchNorm1d → ReLU per hidden layer or without BatchNorm, at several batch sizes.
 * {@code nabla bench mlp} times the same step the way the PyTorch script does; this is its JMH twin.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainingStepBenchmark {
    @Param({"32", "128", "512"})
    public int batch;

    @Param({"true", "false"})
    public boolean batchNorm;

    @Param({"sgd", "adam"})
    public String optimizer;

    @Param({"2"})
    public int threads;

    private Module model;
    private Optimizer opt;
    private Tensor x;
    private int[] y;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(0);
        model = batchNorm
                ? new Sequential(new Linear(784, 512, rng), new BatchNorm1d(512), new ReLU(),
                        new Linear(512, 256, rng), new BatchNorm1d(256), new ReLU(), new Linear(256, 10, rng))
                : new Sequential(new Linear(784, 512, rng), new ReLU(), new Linear(512, 256, rng), new ReLU(),
                        new Linear(256, 10, rng));
        opt = optimizer.equals("adam") ? new Adam(model.parameters(), 1e-3)
                : new SGD(model.parameters(), 0.01, SGD.Options.defaults().withMomentum(0.9));
        x = Tensor.randn(rng, batch, 784);
        y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(10);
        }
    }

    @Benchmark
    public float step() {
        opt.zeroGrad();
        Tensor loss = lossFn.apply(model.forward(x), y);
        loss.backward();
        opt.step();
        return loss.item();
    }
}
