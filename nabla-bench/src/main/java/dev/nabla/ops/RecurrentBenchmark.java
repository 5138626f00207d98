package dev.nabla.ops;

import dev.nabla.kernel.Parallel;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.GRU;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.RNN;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.RecurrentClassifier;
import dev.nabla.nn.RecurrentOptions;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
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

/**
 * The recurrent layers on the sequence-classification workload: batch 64 of 28 steps of 28 features (an MNIST image
 * read row by row), 128 hidden units, one layer, batch first. {@code layer}: the layer's forward and backward with
 * a gradient on h_n only, as a classifier gives. {@code trainingStep}: the whole step of the classifier that reads
 * the last hidden state through a Linear(128, 10), with cross-entropy and Adam (zero the gradients, forward, loss,
 * backward, update), the step PyTorch's twin ({@code nn.LSTM(28, 128, batch_first=True)}, {@code nn.Linear(128, 10)})
 * takes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentBenchmark {
    @Param({"lstm", "rnn", "gru"})
    public String kind;

    @Param({"2"})
    public int threads;

    private static final int BATCH = 64;
    private static final int STEPS = 28;
    private static final int FEATURES = 28;
    private static final int HIDDEN = 128;

    private Recurrent layer;
    private Tensor x;
    private Tensor upstream;
    private RecurrentClassifier model;
    private Adam adam;
    private Tensor images;
    private int[] labels;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        Rng rng = new Rng(0);
        layer = build(rng);
        x = Tensor.randn(rng, BATCH, STEPS, FEATURES);
        upstream = Tensor.randn(rng, 1, BATCH, HIDDEN);
        model = new RecurrentClassifier(List.of(build(rng)), STEPS, 10, rng);
        adam = new Adam(model.parameters(), 1e-3);
        images = Tensor.rand(rng, BATCH, STEPS * FEATURES);
        labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = rng.nextInt(10);
        }
    }

    private Recurrent build(Rng rng) {
        RecurrentOptions o = RecurrentOptions.of(FEATURES, HIDDEN).batchFirst(true);
        return switch (kind) {
            case "lstm" -> new LSTM(o, rng);
            case "gru" -> new GRU(o, rng);
            default -> new RNN(o, rng);
        };
    }

    @Benchmark
    public Tensor layer() {
        layer.zeroGrad();
        layer.run(x).hN().backward(upstream);
        return layer.parameters().get(0).grad();
    }

    @Benchmark
    public float trainingStep() {
        adam.zeroGrad();
        Tensor loss = lossFn.apply(model.forward(images), labels);
        loss.backward();
        adam.step();
        return loss.item();
    }
}
