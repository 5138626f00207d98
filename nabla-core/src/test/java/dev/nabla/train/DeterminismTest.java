package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Adam;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guarantee the README states: the same seed gives the same weights, bit for bit, whatever the number of threads
 * the kernels split their work over, because no product or reduction adds in an order that depends on the split.
 * One epoch of Fashion-MNIST for each kind of network, on 1, 2, 3 and 8 threads (8 is more than the cores here:
 * the split is what matters, not the speed).
 */
@Tag("integration")
class DeterminismTest {
    private static final int[] THREADS = {1, 2, 3, 8};
    private static Dataset.Split fashion;
    private final int threadsBefore = Parallel.threads();

    @BeforeAll
    static void load() throws IOException {
        assumeTrue(FashionMnist.isInstalled(), "Fashion-MNIST is not installed in " + FashionMnist.DEBIAN_DIR
                + ": sudo apt-get install dataset-fashion-mnist");
        fashion = FashionMnist.load();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mlp with batch norm", "lstm", "cnn"})
    void anEpochGivesTheSameWeightBitsOnAnyNumberOfThreads(String network) {
        Map<String, int[]> reference = null;
        for (int threads : THREADS) {
            Parallel.setThreads(threads);
            long start = System.nanoTime();
            Map<String, int[]> weights = trainOneEpoch(network);
            System.out.printf(java.util.Locale.ROOT, "DeterminismTest: %s, an epoch on %d threads: %.1f s%n", network,
                    threads, (System.nanoTime() - start) / 1e9);
            if (reference == null) {
                reference = weights;
                continue;
            }
            for (var entry : reference.entrySet()) {
                int[] got = weights.get(entry.getKey());
                int[] want = entry.getValue();
                for (int i = 0; i < want.length; i++) {
                    if (want[i] != got[i]) {
                        assertEquals(Float.intBitsToFloat(want[i]), Float.intBitsToFloat(got[i]), network + ": "
                                + entry.getKey() + "[" + i + "] after an epoch on " + threads + " threads differs "
                                + "from the value on 1 thread (bits " + Integer.toHexString(want[i]) + " against "
                                + Integer.toHexString(got[i]) + ")");
                        assertEquals(want[i], got[i], network + ": " + entry.getKey() + "[" + i + "] is -0 on one "
                                + "thread count and +0 on another");
                    }
                }
            }
        }
    }

    /** Trains the network for one epoch from seed 7 and returns its state's float bits by name. */
    private static Map<String, int[]> trainOneEpoch(String network) {
        ModelSpec spec = switch (network) {
            case "mlp with batch norm" -> new MlpSpec(784, List.of(256, 128), 10, Activation.RELU,
                    Init.Scheme.DEFAULT, true);
            case "lstm" -> RecurrentSpec.ofImages(RecurrentSpec.Kind.LSTM, 784, List.of(128), 10, Activation.TANH,
                    Double.NaN);
            case "cnn" -> new CnnSpec(28, 28, CnnSpec.DEFAULT_CHANNELS, CnnSpec.DEFAULT_HIDDEN, 10, true, 0);
            default -> throw new IllegalArgumentException(network);
        };
        Module model = spec.build(new Rng(7));
        var optimizer = network.equals("cnn") ? new SGD(model.parameters(), 0.05,
                SGD.Options.defaults().withMomentum(0.9)) : new Adam(model.parameters(), 1e-3);
        Trainer.builder(model, optimizer).epochs(1).batchSize(network.equals("cnn") ? CnnSpec.DEFAULT_BATCH_SIZE : 64)
                .seed(7).build().fit(fashion.train(), fashion.test().subset("test", java.util.stream.IntStream.range(0, 500).toArray()));
        Map<String, int[]> bits = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            float[] values = e.getValue().toArray();
            int[] b = new int[values.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = Float.floatToRawIntBits(values[i]);
            }
            bits.put(e.getKey(), b);
        }
        return bits;
    }
}
