package dev.nabla.optim;

import static dev.nabla.optim.SGDTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AdamTest {
    static Stream<String> adamCases() {
        return FixtureRun.cases("adam_");
    }

    static Adam.Options options(JsonNode o) {
        return Adam.Options.defaults()
                .withBetas(o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble())
                .withEps(o.get("eps").asDouble())
                .withWeightDecay(o.get("weight_decay").asDouble())
                .withAmsgrad(o.get("amsgrad").asBoolean());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adamCases")
    void matchesPyTorchAfterEveryStep(String name) {
        JsonNode o = FixtureRun.options(name);
        FixtureRun.replay(name, params -> new Adam(params, o.get("lr").asDouble(), options(o)));
    }

    @Test
    void stepCountIsPerParameter() {
        // adam_skip gives parameter 1 no gradient at steps 1 and 3 (0-based): it takes 3 of the 5 steps.
        JsonNode o = FixtureRun.options("adam_skip");
        var opt = (Adam) FixtureRun.replay("adam_skip", params -> new Adam(params, o.get("lr").asDouble(), options(o)));
        assertEquals(5, opt.stepCount(0));
        assertEquals(3, opt.stepCount(1));
    }

    @Test
    void firstStepMovesEachElementByLr() {
        // At t = 1, m̂ = g and v̂ = g², so the step is lr·g/(|g| + ε) ≈ lr·sign(g) whatever the gradient's scale.
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        p.setGrad(Tensor.of(new float[] {1e-3f, -50f, 2f}));
        new Adam(List.of(p), 0.1).step();
        assertEquals(-0.1f, p.data()[0], 1e-5f);
        assertEquals(0.1f, p.data()[1], 1e-6f);
        assertEquals(-0.1f, p.data()[2], 1e-6f);
    }

    @Test
    void defaultsAreTheConstantsAndPyTorchs() {
        assertEquals(new Adam.Options(Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPS,
                Adam.DEFAULT_WEIGHT_DECAY, Adam.DEFAULT_AMSGRAD), Adam.Options.defaults());
        assertEquals(new Adam.Options(0.9, 0.999, 1e-8, 0, false), Adam.Options.defaults());
        var opt = new Adam(List.of(Tensor.zeros(1).requiresGrad(true)));
        assertEquals(1e-3, opt.lr());
        assertEquals("Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0, amsgrad=false)", opt.toString());
    }

    @Test
    void badOptionsNameTheValueAndRange() {
        var d = Adam.Options.defaults();
        assertMessage("beta1 must be in [0, 1), got 1.0", () -> d.withBetas(1.0, 0.999));
        assertMessage("beta1 must be in [0, 1), got -0.1", () -> d.withBetas(-0.1, 0.999));
        assertMessage("beta2 must be in [0, 1), got 1.5", () -> d.withBetas(0.9, 1.5));
        assertMessage("beta2 must be in [0, 1), got NaN", () -> d.withBetas(0.9, Double.NaN));
        assertMessage("eps must be finite and > 0, got 0.0", () -> d.withEps(0));
        assertMessage("eps must be finite and > 0, got -1.0E-8", () -> d.withEps(-1e-8));
        assertMessage("weightDecay must be finite and >= 0, got -0.01", () -> d.withWeightDecay(-0.01));
        var params = List.of(Tensor.zeros(2).requiresGrad(true));
        assertMessage("lr must be finite and >= 0, got -0.001", () -> new Adam(params, -1e-3));
    }

    @Test
    void convergesOnAQuadratic() {
        Quadratic.assertConverges(params -> new Adam(params, 0.05), 1500);
        Quadratic.assertConverges(params -> new Adam(params, 0.05, Adam.Options.defaults().withAmsgrad(true)), 1500);
    }
}
