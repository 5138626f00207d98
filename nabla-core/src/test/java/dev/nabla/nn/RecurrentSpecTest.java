package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.nn.RecurrentSpec.Kind;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RecurrentSpecTest {
    @ParameterizedTest
    @EnumSource(Kind.class)
    void buildsStackedBatchFirstLayersWhoseParametersTheSpecCounts(Kind kind) {
        RecurrentSpec spec = RecurrentSpec.ofImages(kind, 64, List.of(12, 7), 10, Activation.TANH, Double.NaN);
        RecurrentClassifier model = spec.build(new Rng(1));
        assertEquals(8, model.steps());
        assertEquals(2, model.layers().size());
        assertEquals(kind, Kind.of(model.layers().get(0)));
        assertTrue(model.layers().get(1).options().batchFirst());
        assertEquals(7, model.layers().get(1).options().hiddenSize());
        long count = model.parameters().stream().mapToLong(Tensor::size).sum();
        assertEquals(count, spec.parameterCount());
        assertEquals(10, model.forward(Tensor.zeros(3, 64)).dim(1));
    }

    @Test
    void theForgetBiasAndTheRnnActivationReachTheLayers() {
        RecurrentClassifier lstm = new RecurrentSpec(Kind.LSTM, 4, 3, List.of(5), 2, Activation.TANH, 1.0)
                .build(new Rng(1));
        Tensor bias = lstm.layers().get(0).namedParameters().get("bias_ih_l0");
        for (int i = 5; i < 10; i++) {
            assertEquals(1.0f, bias.data()[i], "the forget gate's block is the second of i, f, g, o");
        }
        RecurrentClassifier relu = new RecurrentSpec(Kind.RNN, 4, 3, List.of(5), 2, Activation.RELU, Double.NaN)
                .build(new Rng(1));
        assertEquals(Activation.RELU, relu.layers().get(0).options().nonlinearity());
        assertEquals("4×3-5-2 lstm, forget-bias 1", new RecurrentSpec(Kind.LSTM, 4, 3, List.of(5), 2,
                Activation.TANH, 1.0).toString());
        assertEquals("4×3-5-2 rnn relu", new RecurrentSpec(Kind.RNN, 4, 3, List.of(5), 2, Activation.RELU,
                Double.NaN).toString());
    }

    /**
     * A spec with its inputs standardized builds a classifier that computes (x − mean) / std before its first layer:
     * its logits and weight gradients are those of the plain classifier (same weights) on the standardized input, and
     * its input gradient is that one's divided by std.
     */
    @Test
    void standardizedInputsAreScaledInsideTheModelWithTheGradientThroughTheScaling() {
        RecurrentSpec plain = new RecurrentSpec(Kind.GRU, 4, 3, List.of(5), 2, Activation.TANH, Double.NaN);
        RecurrentSpec scaled = plain.withInputScaling(0.25, 0.5);
        assertTrue(scaled.scalesInputs());
        assertEquals("4×3-5-2 gru, inputs standardized (mean 0.250, std 0.500)", scaled.toString());
        RecurrentClassifier a = scaled.build(new Rng(3));
        RecurrentClassifier b = plain.build(new Rng(3));
        Rng rng = new Rng(4);
        float[] x = new float[2 * 12];
        float[] standardized = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.uniform(0, 1);
            standardized[i] = (x[i] - 0.25f) / 0.5f;
        }
        Tensor xa = Tensor.of(x, 2, 12).requiresGrad(true);
        Tensor xb = Tensor.of(standardized, 2, 12).requiresGrad(true);
        Tensor ya = a.forward(xa);
        Tensor yb = b.forward(xb);
        assertArrayEquals(yb.data(), ya.data());
        dev.nabla.ops.Functional.sum(ya).backward();
        dev.nabla.ops.Functional.sum(yb).backward();
        for (int i = 0; i < x.length; i++) {
            assertEquals(xb.grad().data()[i] / 0.5f, xa.grad().data()[i], 1e-6f);
        }
        assertArrayEquals(b.parameters().get(0).grad().data(), a.parameters().get(0).grad().data());
        assertMessage("positive, finite standard deviation", () -> plain.withInputScaling(0.25, 0));
        assertMessage("finite mean", () -> plain.withInputScaling(Double.NaN, 1));
    }

    @Test
    void whatDoesNotFitIsRefusedWithTheReason() {
        assertMessage("no square image", () -> RecurrentSpec.ofImages(Kind.LSTM, 10, List.of(4), 2, Activation.TANH,
                Double.NaN));
        assertMessage("at least one recurrent layer", () -> new RecurrentSpec(Kind.GRU, 4, 3, List.of(), 2,
                Activation.TANH, Double.NaN));
        assertMessage("hidden sizes must be positive", () -> new RecurrentSpec(Kind.GRU, 4, 3, List.of(0), 2,
                Activation.TANH, Double.NaN));
        assertMessage("an rnn's activation is tanh or relu", () -> new RecurrentSpec(Kind.RNN, 4, 3, List.of(2), 2,
                Activation.SIGMOID, Double.NaN));
        assertMessage("no choice of activation", () -> new RecurrentSpec(Kind.LSTM, 4, 3, List.of(2), 2,
                Activation.RELU, Double.NaN));
        assertMessage("only an lstm has a forget gate", () -> new RecurrentSpec(Kind.GRU, 4, 3, List.of(2), 2,
                Activation.TANH, 1.0));
    }

    @Test
    void theMemoryEstimateCountsTheGatesOfEveryStep() {
        RecurrentSpec spec = new RecurrentSpec(Kind.LSTM, 28, 28, List.of(128, 64), 10, Activation.TANH, Double.NaN);
        assertEquals(28L * 4 * 128, spec.widestPerSample());
        assertEquals(2L * 28 * 28 + 28L * 12 * 128 + 28L * 12 * 64, spec.activationsPerSample());
        assertEquals(4L * 128 * 128, spec.largestWeight());
        assertInstanceOf(ModelSpec.class, spec);
    }

    private static void assertMessage(String expected, Runnable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
