package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The learning-rate schedules against PyTorch's sequences (tools/fixtures/schedules.py). */
class LrSchedulerTest {
    private static final Fixtures FIXTURES = Fixtures.load("schedules.json");

    private static SGD optimizer(double lr) {
        return new SGD(List.of(Tensor.zeros(1).requiresGrad(true)), lr);
    }

    private static LrScheduler make(JsonNode c, Optimizer opt) {
        JsonNode o = c.get("options");
        return switch (c.get("kind").asText()) {
            case "step" -> new StepLR(opt, o.get("step_size").asInt(), o.get("gamma").asDouble());
            case "multistep" -> new MultiStepLR(opt, ints(o.get("milestones")), o.get("gamma").asDouble());
            case "exponential" -> new ExponentialLR(opt, o.get("gamma").asDouble());
            case "cosine" -> new CosineAnnealingLR(opt, o.get("t_max").asInt(), o.get("eta_min").asDouble());
            case "linear" -> new LinearLR(opt, o.get("start_factor").asDouble(), o.get("end_factor").asDouble(),
                    o.get("total_iters").asInt());
            case "onecycle" -> new OneCycleLR(opt, o.get("max_lr").asDouble(), o.get("total_steps").asInt(),
                    o.get("pct_start").asDouble(), o.get("div_factor").asDouble(), o.get("final_div_factor").asDouble());
            case "plateau" -> new ReduceLROnPlateau(opt, o.get("factor").asDouble(), o.get("patience").asInt(),
                    o.get("threshold").asDouble(), o.get("cooldown").asInt(), o.get("min_lr").asDouble());
            case "sequential" -> {
                int warmup = o.get("warmup").asInt();
                var first = new LinearLR(opt, 1.0 / warmup, 1.0, warmup);
                var second = new CosineAnnealingLR(opt, o.get("t_max").asInt(), 0);
                yield new SequentialLR(opt, List.of(first, second), List.of(warmup));
            }
            default -> throw new IllegalArgumentException(c.get("kind").asText());
        };
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"step", "multistep", "exponential", "cosine", "cosine_eta_min_past_t_max",
        "linear_warmup", "onecycle", "plateau", "warmup_then_cosine"})
    void givesPyTorchsRates(String name) {
        JsonNode c = FIXTURES.get(name);
        SGD opt = optimizer(c.get("base_lr").asDouble());
        LrScheduler schedule = make(c, opt);
        JsonNode lrs = c.get("lrs");
        assertEquals(lrs.get(0).asDouble(), opt.lr(), 1e-12 * lrs.get(0).asDouble(), "after construction");
        for (int i = 1; i < lrs.size(); i++) {
            if (schedule.needsMetric()) {
                schedule.step(c.get("metrics").get(i - 1).asDouble());
            } else {
                schedule.step();
            }
            double expected = lrs.get(i).asDouble();
            assertEquals(expected, opt.lr(), 1e-12 * Math.max(expected, 1e-12), "after step " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"step", "cosine_eta_min_past_t_max", "onecycle", "plateau", "warmup_then_cosine"})
    void aRestoredScheduleContinuesTheSameRates(String name) {
        JsonNode c = FIXTURES.get(name);
        SGD straight = optimizer(c.get("base_lr").asDouble());
        LrScheduler s1 = make(c, straight);
        SGD resumed = optimizer(c.get("base_lr").asDouble());
        LrScheduler s2 = make(c, resumed);
        int steps = c.get("steps").asInt();
        Function<Integer, Double> metric = i -> c.has("metrics") ? c.get("metrics").get(i).asDouble() : 0.0;
        for (int i = 0; i < steps; i++) {
            if (i == steps / 2) {
                Map<String, Double> saved = s1.stateDict();
                s2.loadStateDict(saved);
                resumed.setLr(straight.lr());
            }
            s1.step(metric.apply(i));
            if (i >= steps / 2) {
                s2.step(metric.apply(i));
                assertEquals(straight.lr(), resumed.lr(), "step " + i);
            }
        }
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        SGD opt = optimizer(0.1);
        assertEquals("StepLR's step size must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, 0.1, 1));
        assertThrows(UnsupportedOperationException.class, () -> new ReduceLROnPlateau(opt, 0.5, 2).step());
    }
}
