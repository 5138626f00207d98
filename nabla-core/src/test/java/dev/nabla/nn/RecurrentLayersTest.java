package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.GradCheck;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrent modules: gradients against finite differences (input and every parameter), PyTorch's parameter
 * names and initialisation, the forget-gate bias, the shapes of unbatched inputs, and the messages for bad options
 * and inputs. The values against PyTorch are in {@link RecurrentMatchesPyTorchTest}.
 */
class RecurrentLayersTest {
    static Stream<Arguments> modules() {
        RecurrentOptions small = RecurrentOptions.of(3, 4);
        return Stream.of(
                Arguments.of("RNN tanh", (Supplier<Module>) () -> new RNN(small, new Rng(1)), new int[] {4, 2, 3}),
                Arguments.of("RNN relu, 2 layers", (Supplier<Module>) () -> new RNN(small.nonlinearity(Activation.RELU)
                        .numLayers(2), new Rng(2)), new int[] {4, 2, 3}),
                Arguments.of("LSTM bidirectional, batch first", (Supplier<Module>) () -> new LSTM(small
                        .bidirectional(true).batchFirst(true), new Rng(3)), new int[] {2, 4, 3}),
                Arguments.of("LSTM unbatched", (Supplier<Module>) () -> new LSTM(small, new Rng(4)), new int[] {4, 3}),
                Arguments.of("GRU 2 layers bidirectional", (Supplier<Module>) () -> new GRU(small.numLayers(2)
                        .bidirectional(true), new Rng(5)), new int[] {3, 2, 3}),
                Arguments.of("GRU without bias", (Supplier<Module>) () -> new GRU(small.bias(false), new Rng(6)),
                        new int[] {4, 2, 3}),
                Arguments.of("RNNCell", (Supplier<Module>) () -> new RNNCell(3, 4, true, Activation.TANH, new Rng(7)),
                        new int[] {2, 3}),
                Arguments.of("LSTMCell", (Supplier<Module>) () -> new LSTMCell(3, 4, true, new Rng(8)),
                        new int[] {2, 3}),
                Arguments.of("GRUCell", (Supplier<Module>) () -> new GRUCell(3, 4, true, new Rng(9)), new int[] {2, 3}),
                Arguments.of("RecurrentClassifier of an LSTM and a GRU", (Supplier<Module>) () -> new RecurrentClassifier(
                        List.of(new LSTM(RecurrentOptions.of(2, 3).batchFirst(true).bidirectional(true), new Rng(10)),
                                new GRU(RecurrentOptions.of(6, 3).batchFirst(true), new Rng(11))), 3, 4, new Rng(12)),
                        new int[] {2, 6}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void backwardAgreesWithFiniteDifferences(String name, Supplier<Module> builder, int[] shape) {
        GradCheck.Result result = GradCheck.checkModule(builder.get(), Tensor.randn(new Rng(13), shape));
        assertTrue(result.passed(), name + ": " + result);
    }

    @Test
    void parametersHavePyTorchsNamesShapesAndRange() {
        LSTM lstm = new LSTM(RecurrentOptions.of(5, 3).numLayers(2).bidirectional(true), new Rng(1));
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.namedParameters().keySet()));
        assertEquals(List.of(12, 5), List.of(lstm.namedParameters().get("weight_ih_l0").shape().dims()[0],
                lstm.namedParameters().get("weight_ih_l0").shape().dims()[1]));
        assertEquals(dev.nabla.tensor.Shape.of(12, 6), lstm.namedParameters().get("weight_ih_l1").shape());
        double bound = 1 / Math.sqrt(3);
        double largest = 0;
        for (Tensor p : lstm.parameters()) {
            for (float v : p.data()) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        assertTrue(largest <= bound && largest > 0.9 * bound, "largest |weight| " + largest + " for bound " + bound);
        assertEquals("LSTM(5, 3, num_layers=2, bidirectional=True)", lstm.toString());
        assertEquals(List.of("weight_ih", "weight_hh"),
                List.copyOf(new GRUCell(2, 3, false, new Rng(2)).namedParameters().keySet()));
    }

    @Test
    void forgetBiasSetsTheSumOfTheForgetGatesBiases() {
        int h = 5;
        LSTM lstm = new LSTM(RecurrentOptions.of(3, h).numLayers(2).bidirectional(true).forgetBias(1.0), new Rng(3));
        LSTM plain = new LSTM(RecurrentOptions.of(3, h).numLayers(2).bidirectional(true), new Rng(3));
        for (String suffix : List.of("_l0", "_l0_reverse", "_l1", "_l1_reverse")) {
            float[] ih = lstm.namedParameters().get("bias_ih" + suffix).data();
            float[] hh = lstm.namedParameters().get("bias_hh" + suffix).data();
            float[] plainIh = plain.namedParameters().get("bias_ih" + suffix).data();
            for (int j = 0; j < 4 * h; j++) {
                if (j >= h && j < 2 * h) {
                    assertEquals(1f, ih[j] + hh[j], suffix + " forget gate " + j);
                    assertEquals(0f, hh[j]);
                } else {
                    assertEquals(plainIh[j], ih[j], suffix + ": the other gates keep PyTorch's initialisation");
                }
            }
        }
    }

    @Test
    void unbatchedInputsGiveOutputsWithoutTheBatchDimension() {
        LSTM lstm = new LSTM(RecurrentOptions.of(3, 4).numLayers(2).bidirectional(true).batchFirst(true), new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), 6, 3);
        Recurrent.Output out = lstm.run(x, Tensor.zeros(4, 4), Tensor.zeros(4, 4));
        assertEquals(dev.nabla.tensor.Shape.of(6, 8), out.output().shape());
        assertEquals(dev.nabla.tensor.Shape.of(4, 4), out.hN().shape());
        assertEquals(dev.nabla.tensor.Shape.of(4, 4), out.cN().shape());
        Recurrent.Output batched = lstm.run(x.reshape(1, 6, 3));
        assertArrayEquals(batched.output().data(), out.output().data());
        assertNull(new GRU(3, 4).run(x).cN());
    }

    @Test
    void theCellIsTheLayerRunForOneStep() {
        Rng rng = new Rng(6);
        LSTMCell cell = new LSTMCell(3, 4, true, rng);
        LSTM layer = new LSTM(RecurrentOptions.of(3, 4), rng);
        List<Tensor> from = cell.parameters();
        List<Tensor> to = layer.parameters();
        for (int i = 0; i < from.size(); i++) {
            System.arraycopy(from.get(i).data(), 0, to.get(i).data(), 0, from.get(i).size());
        }
        Tensor x = Tensor.randn(rng, 2, 3);
        Tensor h = Tensor.randn(rng, 2, 4);
        Tensor c = Tensor.randn(rng, 2, 4);
        LSTMCell.State step = cell.step(x, h, c);
        Recurrent.Output run = layer.run(x.reshape(1, 2, 3), h.reshape(1, 2, 4), c.reshape(1, 2, 4));
        assertArrayEquals(run.hN().data(), step.h().data());
        assertArrayEquals(run.cN().data(), step.c().data());
    }

    @Test
    void badOptionsNameTheOptionAndTheRange() {
        assertMessage(() -> RecurrentOptions.of(3, 0), "hiddenSize must be at least 1");
        assertMessage(() -> RecurrentOptions.of(0, 3), "inputSize must be at least 1");
        assertMessage(() -> RecurrentOptions.of(3, 4).numLayers(0), "numLayers must be at least 1");
        assertMessage(() -> RecurrentOptions.of(3, 4).dropout(1), "dropout must be in [0, 1)");
        assertMessage(() -> RecurrentOptions.of(3, 4).nonlinearity(Activation.SIGMOID), "tanh or relu");
        assertMessage(() -> RecurrentOptions.of(3, 4).bias(false).forgetBias(1), "bias is false");
        assertMessage(() -> new LSTM(RecurrentOptions.of(3, 4).nonlinearity(Activation.RELU), new Rng(1)),
                "LSTM has fixed activations");
        assertMessage(() -> new GRU(RecurrentOptions.of(3, 4).nonlinearity(Activation.RELU), new Rng(1)),
                "GRU has fixed activations");
        assertMessage(() -> new RNN(RecurrentOptions.of(3, 4).forgetBias(1), new Rng(1)), "forgetBias is an LSTM option");
        assertMessage(() -> new GRU(RecurrentOptions.of(3, 4).forgetBias(1), new Rng(1)), "forgetBias is an LSTM option");
    }

    @Test
    void badInputsNameTheExpectedAndTheGivenShape() {
        LSTM lstm = new LSTM(RecurrentOptions.of(3, 4).batchFirst(true), new Rng(1));
        assertMessage(() -> lstm.run(Tensor.zeros(2, 5, 7)), "LSTM(3, 4, batch_first=True) expects input [N, T, 3]",
                "got [2, 5, 7]", "input size 3");
        assertMessage(() -> lstm.run(Tensor.zeros(2, 3, 5, 3)), "expects input [N, T, 3]", "[2, 3, 5, 3]");
        assertMessage(() -> lstm.run(Tensor.zeros(2, 0, 3)), "sequence length of 0");
        assertMessage(() -> lstm.run(Tensor.zeros(2, 5, 3), Tensor.zeros(1, 3, 4)), "h0 [1, 3, 4] but needs [1, 2, 4]");
        assertMessage(() -> lstm.run(Tensor.zeros(2, 5, 3), null, Tensor.zeros(2, 4)), "c0 [2, 4] but needs [1, 2, 4]");
        assertMessage(() -> lstm.run(Tensor.zeros(5, 3), Tensor.zeros(1, 1, 4)), "[layers·directions, H] for an unbatched");
        assertMessage(() -> new GRUCell(3, 4).forward(Tensor.zeros(2, 4)), "expects x [N, 3]", "got [2, 4]");
        assertMessage(() -> new GRUCell(3, 4).step(Tensor.zeros(2, 3), Tensor.zeros(3, 4)), "the states must be [2, 4]");
    }

    @Test
    void theClassifierChecksItsLayersAndItsInput() {
        Rng rng = new Rng(2);
        assertMessage(() -> new RecurrentClassifier(List.of(new LSTM(3, 4)), 5, 2, rng), "batchFirst(true)");
        assertMessage(() -> new RecurrentClassifier(List.of(new LSTM(RecurrentOptions.of(3, 4).batchFirst(true), rng),
                new GRU(RecurrentOptions.of(5, 4).batchFirst(true), rng)), 5, 2, rng), "make its input size 4");
        RecurrentClassifier model = new RecurrentClassifier(List.of(new LSTM(RecurrentOptions.of(3, 4).batchFirst(true),
                rng)), 5, 2, rng);
        assertMessage(() -> model.forward(Tensor.zeros(2, 14)), "expects x [N, 15] or [N, 5, 3], got [2, 14]");
        assertEquals(List.of("rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "fc.weight",
                "fc.bias"), List.copyOf(model.namedParameters().keySet()));
        assertEquals(dev.nabla.tensor.Shape.of(2, 2), model.forward(Tensor.zeros(2, 5, 3)).shape());
        assertEquals(5, model.steps());
        assertEquals(1, model.layers().size());
    }

    private static void assertMessage(Executable call, String... parts) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), "message \"" + message + "\" lacks \"" + part + "\"");
        }
    }
}
