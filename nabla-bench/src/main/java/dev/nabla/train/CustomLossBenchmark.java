package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.data.Digits;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A loss a user writes from the tensor operations against the fused built-in: one training step (forward, loss,
 * backward, Adam) of a 64-128-10 MLP on a batch of 64 digits, with the built-in cross-entropy and with a focal loss
 * (Lin et al. 2017) written from {@code logSoftmax}, {@code gather}, {@code exp}, {@code sub}, {@code pow},
 * {@code mul} and {@code mean}: FL = −mean((1 − p_t)^γ · log p_t), γ = 2.
 * Run: {@code java --add-modules jdk.incubator.vector -jar nabla-bench/target/benchmarks.jar CustomLoss}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class CustomLossBenchmark {
    private Sequential model;
    private Adam optimizer;
    private Batch batch;
    private Tensor targetIndex;
    private final CrossEntropyLoss crossEntropy = new CrossEntropyLoss();

    @Setup
    public void setUp() {
        model = new MlpSpec(64, java.util.List.of(128), 10, Activation.RELU, Init.Scheme.DEFAULT).build(new Rng(1));
        optimizer = new Adam(model.parameters(), 1e-3);
        int[] first = new int[64];
        java.util.Arrays.setAll(first, i -> i);
        batch = Digits.train().batch(first);
        float[] index = new float[64];
        for (int i = 0; i < 64; i++) {
            index[i] = batch.y()[i];
        }
        targetIndex = Tensor.of(index, 64, 1);
    }

    /** The focal loss, from the tensor operations. */
    static Tensor focalLoss(Tensor logits, Tensor targetIndex, double gamma) {
        Tensor logPt = Functional.gather(Functional.logSoftmax(logits), 1, targetIndex);
        Tensor weight = Functional.pow(Functional.sub(Tensor.ones(logPt.shape().dims()), Functional.exp(logPt)),
                gamma);
        return Functional.mul(Functional.mean(Functional.mul(weight, logPt)), Tensor.scalar(-1));
    }

    @Benchmark
    public float crossEntropyStep() {
        Tensor loss = crossEntropy.apply(model.call(batch.x()), batch.y());
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    @Benchmark
    public float focalLossStep() {
        Tensor loss = focalLoss(model.call(batch.x()), targetIndex, 2);
        optimizer.zeroGrad();
        loss.backward();
        optimizer.step();
        return loss.item();
    }
}
