package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SGDTest {
    static Stream<String> sgdCases() {
        return FixtureRun.cases("sgd_");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sgdCases")
    void matchesPyTorchAfterEveryStep(String name) {
        JsonNode o = FixtureRun.options(name);
        var options = SGD.Options.defaults()
                .withMomentum(o.get("momentum").asDouble())
                .withDampening(o.get("dampening").asDouble())
                .withNesterov(o.get("nesterov").asBoolean())
                .withWeightDecay(o.get("weight_decay").asDouble());
        FixtureRun.replay(name, params -> new SGD(params, o.get("lr").asDouble(), options));
    }

    @Test
    void fixtureCoversEveryOption() {
        assertTrue(sgdCases().count() >= 5);
    }

    @Test
    void plainStepIsLrTimesGradient() {
        Tensor p = Tensor.of(new float[] {1f, -2f, 0.5f}).requiresGrad(true);
        p.setGrad(Tensor.of(new float[] {0.5f, 1f, -4f}));
        new SGD(List.of(p), 0.25).step();
        assertArrayEquals(new float[] {0.875f, -2.25f, 1.5f}, p.data());
    }

    @Test
    void momentumBufferStartsAtTheFirstGradient() {
        // lr 1, μ 0.9, τ 0.5, g = 1 each step. Step 1: b = g = 1 (a zero-started buffer would give 0.5), θ = −1.
        // Step 2: b = 0.9·1 + 0.5·1 = 1.4, θ = −2.4.
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        var opt = new SGD(List.of(p), 1.0, SGD.Options.defaults().withMomentum(0.9).withDampening(0.5));
        p.setGrad(Tensor.ones(1));
        opt.step();
        assertEquals(-1f, p.data()[0]);
        opt.step();
        assertEquals(-2.4f, p.data()[0], 1e-6f);
    }

    @Test
    void optionsDefaultsAreTheConstants() {
        assertEquals(new SGD.Options(SGD.DEFAULT_MOMENTUM, SGD.DEFAULT_DAMPENING, SGD.DEFAULT_NESTEROV,
                SGD.DEFAULT_WEIGHT_DECAY), SGD.Options.defaults());
        assertEquals(new SGD.Options(0, 0, false, 0), SGD.Options.defaults());
    }

    @Test
    void badOptionsNameTheValueAndRange() {
        var d = SGD.Options.defaults();
        assertMessage("momentum must be finite and >= 0, got -0.5", () -> d.withMomentum(-0.5));
        assertMessage("momentum must be finite and >= 0, got NaN", () -> d.withMomentum(Double.NaN));
        assertMessage("dampening must be in [0, 1], got 1.5", () -> d.withDampening(1.5));
        assertMessage("dampening must be in [0, 1], got -0.1", () -> d.withDampening(-0.1));
        assertMessage("weightDecay must be finite and >= 0, got -1.0E-4", () -> d.withWeightDecay(-1e-4));
        assertMessage("weightDecay must be finite and >= 0, got Infinity", () -> d.withWeightDecay(Double.POSITIVE_INFINITY));
    }

    @Test
    void nesterovNeedsMomentumAndNoDampening() {
        var params = List.of(Tensor.zeros(2).requiresGrad(true));
        assertMessage("nesterov momentum needs momentum > 0 and dampening == 0, got momentum=0.0, dampening=0.0",
                () -> new SGD(params, 0.1, SGD.Options.defaults().withNesterov(true)));
        assertMessage("nesterov momentum needs momentum > 0 and dampening == 0, got momentum=0.9, dampening=0.1",
                () -> new SGD(params, 0.1, SGD.Options.defaults().withNesterov(true).withMomentum(0.9).withDampening(0.1)));
        // The withers may come in any order: only the finished options are checked.
        new SGD(params, 0.1, SGD.Options.defaults().withNesterov(true).withMomentum(0.9));
    }

    @Test
    void badLearningRate() {
        var params = List.of(Tensor.zeros(2).requiresGrad(true));
        assertMessage("lr must be finite and >= 0, got -0.1", () -> new SGD(params, -0.1));
        assertMessage("lr must be finite and >= 0, got NaN", () -> new SGD(params, Double.NaN));
        assertMessage("lr must be finite and >= 0, got Infinity", () -> new SGD(params, Double.POSITIVE_INFINITY));
    }

    @Test
    void convergesOnAQuadratic() {
        Quadratic.assertConverges(params -> new SGD(params, 0.04), 300);
        Quadratic.assertConverges(params -> new SGD(params, 0.02, SGD.Options.defaults().withMomentum(0.9)), 300);
        Quadratic.assertConverges(params -> new SGD(params, 0.02,
                SGD.Options.defaults().withMomentum(0.9).withNesterov(true)), 300);
    }

    @Test
    void toStringShowsTheHyperParameters() {
        var opt = new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1, SGD.Options.defaults().withMomentum(0.9));
        assertEquals("SGD(lr=0.1, momentum=0.9, dampening=0.0, nesterov=false, weightDecay=0.0)", opt.toString());
    }

    static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
