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

/**
 * Time of the fused softmax-cross-entropy, forward and backward, through the public API as a training step uses
 * it: {@code Functional.crossEntropy(logits, labels)} then {@code backward()} into a leaf {@code [N, C]} whose
 * gradient is zeroed each time; and of the softmax forward alone. N = 128 (a batch), C = 10 (digits) and 1000
 * (ImageNet-sized heads).
 * Run: {@code java --add-modules jdk.incubator.vector -jar nabla-bench/target/benchmarks.jar SoftmaxCrossEntropy}.
 * Bytes touched per call ≈ 4·N·C for each pass over the logits.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxCrossEntropyBenchmark {
    @Param("128")
    public int n;

    @Param({"10", "1000"})
    public int c;

    private Tensor logits;
    private int[] labels;

    @Setup
    public void setUp() {
        Rng rng = new Rng(1);
        logits = Tensor.randn(rng, n, c).requiresGrad(true);
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(c);
        }
    }

    /** Mean cross-entropy and its gradient (p − onehot)/N into {@code logits.grad()}. */
    @Benchmark
    public Tensor forwardBackward() {
        logits.zeroGrad();
        Tensor loss = Functional.crossEntropy(logits, labels);
        loss.backward();
        return logits.grad();
    }

    /** The loss alone, as in evaluation (the graph is still recorded: logits require a gradient). */
    @Benchmark
    public Tensor forward() {
        return Functional.crossEntropy(logits, labels);
    }

    /** Softmax over the classes, forward only. */
    @Benchmark
    public Tensor softmax() {
        return Functional.softmax(logits.detach());
    }
}
