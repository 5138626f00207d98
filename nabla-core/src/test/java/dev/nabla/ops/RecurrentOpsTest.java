package dev.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Function;
import dev.nabla.autograd.NoGrad;
import dev.nabla.diagnostics.GradCheck;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.OpCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Functional#recurrent}: finite-difference checks of every gradient (x, h0, c0 and each weight) through
 * every kind of layer and layout, and the argument checks. The values against PyTorch are in
 * {@code nn.RecurrentMatchesPyTorchTest}.
 */
class RecurrentOpsTest {
    private static final int I = 3;
    private static final int H = 4;
    private static final int T = 3;
    private static final int N = 2;

    /** A configuration: kind, layers, bidirectional, batch first, biases. */
    record Config(RecurrentMode mode, int layers, boolean bidirectional, boolean batchFirst, boolean bias) {
        int dirs() {
            return bidirectional ? 2 : 1;
        }

        /** Weights in PyTorch's order, drawn from U(−0.6, 0.6): large enough for the gates to leave their linear part. */
        List<Tensor> weights(Rng rng) {
            List<Tensor> w = new ArrayList<>();
            int gh = mode.gates() * H;
            for (int layer = 0; layer < layers; layer++) {
                for (int d = 0; d < dirs(); d++) {
                    w.add(uniform(rng, gh, layer == 0 ? I : dirs() * H));
                    w.add(uniform(rng, gh, H));
                    if (bias) {
                        w.add(uniform(rng, gh));
                        w.add(uniform(rng, gh));
                    }
                }
            }
            return w;
        }

        RecurrentResult run(Tensor x, Tensor h0, Tensor c0, List<Tensor> weights) {
            return Functional.recurrent(mode, x, h0, c0, weights, bias, layers, bidirectional, batchFirst, 0f, false,
                    null);
        }

        int[] inputShape() {
            return batchFirst ? new int[] {N, T, I} : new int[] {T, N, I};
        }
    }

    static Stream<Arguments> configs() {
        List<Arguments> out = new ArrayList<>();
        for (RecurrentMode mode : RecurrentMode.values()) {
            out.add(Arguments.of(new Config(mode, 1, false, false, true)));
            out.add(Arguments.of(new Config(mode, 2, true, false, true)));
            out.add(Arguments.of(new Config(mode, 1, true, true, false)));
        }
        return out.stream();
    }

    static Tensor uniform(Rng rng, int... dims) {
        Tensor t = Tensor.rand(rng, dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = 1.2f * t.data()[i] - 0.6f;
        }
        return t;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void everyGradientAgreesWithFiniteDifferences(Config config) {
        Rng rng = new Rng(11);
        List<Tensor> weights = config.weights(rng);
        Tensor x = Tensor.randn(rng, config.inputShape());
        Tensor h0 = Tensor.randn(rng, config.layers() * config.dirs(), N, H);
        Tensor c0 = config.mode().hasCell() ? Tensor.randn(rng, config.layers() * config.dirs(), N, H) : null;
        // upstream weights for the three results, so that one scalar covers output, h_n and c_n
        RecurrentResult probe = config.run(x, h0, c0, weights);
        Tensor a = Tensor.randn(rng, probe.output().shape().dims());
        Tensor b = Tensor.randn(rng, probe.hN().shape().dims());
        Tensor c = probe.cN() == null ? null : Tensor.randn(rng, probe.cN().shape().dims());

        List<Tensor> inputs = new ArrayList<>(List.of(x, h0));
        if (c0 != null) {
            inputs.add(c0);
        }
        int fixed = inputs.size();
        inputs.addAll(weights);
        GradCheck.Result result = GradCheck.check(in -> {
            Tensor c0In = c0 == null ? null : in[2];
            RecurrentResult r = config.run(in[0], in[1], c0In, Arrays.asList(in).subList(fixed, in.length));
            Tensor loss = Functional.add(Functional.sum(Functional.mul(r.output(), a)),
                    Functional.sum(Functional.mul(r.hN(), b)));
            return r.cN() == null ? loss : Functional.add(loss, Functional.sum(Functional.mul(r.cN(), c)));
        }, inputs.toArray(Tensor[]::new));
        assertTrue(result.passed(), config + ": " + result);
        assertTrue(result.checked() > 50, "checked only " + result.checked() + " entries");
    }

    static Stream<String> fixtureCases() {
        return OpCheck.names("recurrent_ops.json").stream();
    }

    /**
     * {@link Functional#recurrent} (its output, h_n and c_n laid end to end, as the fixture holds them) and
     * {@link Functional#lastLayerState} against PyTorch's {@code torch._VF.lstm} and kin, then finite differences.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureCases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        OpCheck.check(name, (x, c) -> {
            if (c.op().equals("last_layer_state")) {
                return Functional.lastLayerState(x[0], c.integer("directions"));
            }
            RecurrentMode mode = RecurrentMode.valueOf(c.op().substring("recurrent_".length()).toUpperCase(Locale.ROOT));
            boolean given = c.bool("given_state");
            int states = given ? (mode.hasCell() ? 2 : 1) : 0;
            RecurrentResult r = Functional.recurrent(mode, x[0], given ? x[1] : null,
                    given && mode.hasCell() ? x[2] : null, Arrays.asList(x).subList(1 + states, x.length),
                    c.bool("bias"), c.integer("num_layers"), c.bool("bidirectional"), c.bool("batch_first"), 0f, false,
                    null);
            Tensor[] parts = r.cN() == null ? new Tensor[] {r.output(), r.hN()} : new Tensor[] {r.output(), r.hN(), r.cN()};
            int[] lengths = Arrays.stream(parts).mapToInt(Tensor::size).toArray();
            int[] sources = java.util.stream.IntStream.range(0, parts.length).toArray();
            return Function.apply(new FlatSlices(sources, new int[parts.length], lengths,
                    Shape.of(Arrays.stream(lengths).sum())), parts);
        });
    }

    @Test
    void theFinalStatesAreTheOutputsAtTheEndsOfTheSequence() {
        Config config = new Config(RecurrentMode.GRU, 1, true, false, true);
        Rng rng = new Rng(3);
        RecurrentResult r = config.run(Tensor.randn(rng, T, N, I), null, null, config.weights(rng));
        float[] out = r.output().data();
        float[] hN = r.hN().data();
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < H; j++) {
                // forward direction ends at t = T − 1, reverse at t = 0; output rows hold [forward | reverse]
                assertEquals(out[((T - 1) * N + i) * 2 * H + j], hN[i * H + j]);
                assertEquals(out[i * 2 * H + H + j], hN[(N + i) * H + j]);
            }
        }
    }

    @Test
    void batchFirstGivesTheSameNumbersAsSequenceFirst() {
        Rng rng = new Rng(4);
        Config seqFirst = new Config(RecurrentMode.LSTM, 2, true, false, true);
        Config batchFirst = new Config(RecurrentMode.LSTM, 2, true, true, true);
        List<Tensor> w = seqFirst.weights(rng);
        Tensor x = Tensor.randn(rng, T, N, I);
        Tensor xt = Tensor.zeros(N, T, I);
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < N; i++) {
                for (int k = 0; k < I; k++) {
                    xt.set(x.get(t, i, k), i, t, k);
                }
            }
        }
        RecurrentResult a = seqFirst.run(x, null, null, w);
        RecurrentResult b = batchFirst.run(xt, null, null, w);
        assertArrayEquals(a.hN().data(), b.hN().data());
        assertArrayEquals(a.cN().data(), b.cN().data());
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < N; i++) {
                for (int j = 0; j < 2 * H; j++) {
                    assertEquals(a.output().get(t, i, j), b.output().get(i, t, j));
                }
            }
        }
    }

    @Test
    void dropoutActsBetweenLayersWhenTrainingOnly() {
        Rng rng = new Rng(5);
        Config config = new Config(RecurrentMode.RNN_TANH, 2, false, false, true);
        List<Tensor> w = config.weights(rng);
        Tensor x = Tensor.randn(rng, T, N, I);
        RecurrentResult plain = config.run(x, null, null, w);
        RecurrentResult eval = Functional.recurrent(RecurrentMode.RNN_TANH, x, null, null, w, true, 2, false, false,
                0.5f, false, new Rng(1));
        RecurrentResult train = Functional.recurrent(RecurrentMode.RNN_TANH, x, null, null, w, true, 2, false, false,
                0.5f, true, new Rng(1));
        assertArrayEquals(plain.output().data(), eval.output().data());
        assertNotEquals(Arrays.toString(plain.output().data()), Arrays.toString(train.output().data()));
        // the first layer's final state comes before any dropout
        assertArrayEquals(Arrays.copyOf(plain.hN().data(), N * H), Arrays.copyOf(train.hN().data(), N * H));
    }

    @Test
    void underNoGradNothingIsRecorded() {
        Rng rng = new Rng(6);
        Config config = new Config(RecurrentMode.LSTM, 1, false, false, true);
        List<Tensor> w = config.weights(rng);
        w.forEach(t -> t.requiresGrad(true));
        try (var _ = NoGrad.enter()) {
            RecurrentResult r = config.run(Tensor.randn(rng, T, N, I), null, null, w);
            assertTrue(!r.output().requiresGrad() && !r.hN().requiresGrad() && !r.cN().requiresGrad());
        }
    }

    @Test
    void lastLayerStatePutsTheDirectionsSideBySide() {
        Tensor hN = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 1, 3);
        // L·D = 4 rows of [N = 1, H = 3]; D = 2: the last layer's rows are 2 (forward) and 3 (reverse)
        assertArrayEquals(new float[] {7, 8, 9, 10, 11, 12}, Functional.lastLayerState(hN, 2).data());
        assertArrayEquals(new float[] {10, 11, 12}, Functional.lastLayerState(hN, 1).data());
        Tensor two = Tensor.randn(new Rng(7), 2, 3, 2).requiresGrad(true);
        GradCheck.check(in -> Functional.lastLayerState(in[0], 2), two).requirePassed();
    }

    @Test
    void aLayerGivesTheSameBitsOnOneTwoAndThreeThreads() {
        // the batch of 64 runs as one block of samples, two of 32, then three of 21, 21 and 22 (RecurrentLayer.Block)
        int threads = Parallel.threads();
        try {
            List<float[]> one = layerResults(1);
            List<float[]> two = layerResults(2);
            List<float[]> three = layerResults(3);
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), two.get(i), "result " + i + ", two threads");
                assertArrayEquals(one.get(i), three.get(i), "result " + i + ", three threads");
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    /** Output, h_n, c_n and every gradient of a bidirectional LSTM at the classifier's width, on {@code threads}. */
    private static List<float[]> layerResults(int threads) {
        Parallel.setThreads(threads);
        Rng rng = new Rng(9);
        int n = 64;
        int h = 128;
        List<Tensor> w = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            w.add(uniform(rng, 4 * h, 28).requiresGrad(true));
            w.add(uniform(rng, 4 * h, h).requiresGrad(true));
            w.add(uniform(rng, 4 * h).requiresGrad(true));
            w.add(uniform(rng, 4 * h).requiresGrad(true));
        }
        Tensor x = Tensor.randn(rng, n, 4, 28).requiresGrad(true);
        RecurrentResult r = Functional.recurrent(RecurrentMode.LSTM, x, null, null, w, true, 1, true, true, 0f, false,
                null);
        Tensor loss = Functional.add(Functional.sum(Functional.mul(r.output(), Tensor.randn(rng, n, 4, 2 * h))),
                Functional.sum(Functional.mul(r.cN(), Tensor.randn(rng, 2, n, h))));
        loss.backward();
        List<float[]> out = new ArrayList<>(List.of(r.output().data(), r.hN().data(), r.cN().data(), x.grad().data()));
        w.forEach(t -> out.add(t.grad().data()));
        return out;
    }

    @Test
    void badArgumentsAreRefusedWithTheShapesAndTheFix() {
        Rng rng = new Rng(8);
        Config config = new Config(RecurrentMode.LSTM, 1, false, false, true);
        List<Tensor> w = config.weights(rng);
        String rank = message(() -> config.run(Tensor.randn(rng, T, I), null, null, w));
        assertTrue(rank.contains("[T, N, I]") && rank.contains("[3, 3]") && rank.contains("reshape"), rank);
        String features = message(() -> config.run(Tensor.randn(rng, T, N, I + 1), null, null, w));
        assertTrue(features.contains("takes 3 features") && features.contains("[3, 2, 4]"), features);
        String empty = message(() -> config.run(Tensor.zeros(0, N, I), null, null, w));
        assertTrue(empty.contains("sequence length of 0"), empty);
        String h0 = message(() -> config.run(Tensor.randn(rng, T, N, I), Tensor.zeros(2, N, H), null, w));
        assertTrue(h0.contains("h0 [2, 2, 4]") && h0.contains("[1, 2, 4]"), h0);
        String count = message(() -> config.run(Tensor.randn(rng, T, N, I), null, null, w.subList(0, 2)));
        assertTrue(count.contains("takes 4 weights") && count.contains("got 2"), count);
        String shape = message(() -> config.run(Tensor.randn(rng, T, N, I), null, null,
                List.of(w.get(0), Tensor.zeros(4 * H, H + 1), w.get(2), w.get(3))));
        assertTrue(shape.contains("weight_hh_l0 must be [16, 4]") && shape.contains("[16, 5]"), shape);
        String cell = message(() -> Functional.recurrent(RecurrentMode.GRU, Tensor.randn(rng, T, N, I), null,
                Tensor.zeros(1, N, H), new Config(RecurrentMode.GRU, 1, false, false, false).weights(rng), false, 1,
                false, false, 0f, false, null));
        assertTrue(cell.contains("no cell state"), cell);
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }
}
