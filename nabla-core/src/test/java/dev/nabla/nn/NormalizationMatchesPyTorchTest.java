package dev.nabla.nn;

import static dev.nabla.nn.ModulesMatchPyTorchTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The normalisation layers step by step against PyTorch ({@code tools/fixtures/normalization.py}): from PyTorch's
 * state, each step's output, input gradient and parameter gradients, and the whole state afterwards (running
 * statistics and batch count), in training and in evaluation mode. Each module also prints as PyTorch's does.
 */
class NormalizationMatchesPyTorchTest {
    private static final Fixtures NORMALIZATION = Fixtures.load("normalization.json");

    /** The module for each case, built with the case's options (printed by PyTorch in the case's "module"). */
    private static final Map<String, Supplier<Module>> MODULES = new LinkedHashMap<>();

    static {
        BatchNorm.Options defaults = BatchNorm.Options.defaults();
        MODULES.put("batch_norm_1d", () -> new BatchNorm1d(4));
        MODULES.put("batch_norm_1d_cumulative", () -> new BatchNorm1d(4, defaults.withMomentum(null)));
        MODULES.put("batch_norm_1d_sequence", () -> new BatchNorm1d(3));
        MODULES.put("batch_norm_1d_one_sequence", () -> new BatchNorm1d(2));
        MODULES.put("batch_norm_2d", () -> new BatchNorm2d(3));
        MODULES.put("batch_norm_2d_eps_momentum", () -> new BatchNorm2d(2, defaults.withEps(1e-3).withMomentum(0.3)));
        MODULES.put("batch_norm_1d_no_affine", () -> new BatchNorm1d(4, defaults.withAffine(false)));
        MODULES.put("batch_norm_1d_no_running_stats", () -> new BatchNorm1d(4, defaults.withTrackRunningStats(false)));
        MODULES.put("batch_norm_2d_no_running_stats", () -> new BatchNorm2d(2, defaults.withTrackRunningStats(false)));
        MODULES.put("layer_norm", () -> new LayerNorm(5));
        MODULES.put("layer_norm_sequence", () -> new LayerNorm(4));
        MODULES.put("layer_norm_two_dims", () -> new LayerNorm(new int[] {3, 4}, LayerNorm.Options.defaults().withEps(1e-3)));
        MODULES.put("layer_norm_no_affine", () -> new LayerNorm(new int[] {6},
                LayerNorm.Options.defaults().withElementwiseAffine(false)));
        MODULES.put("group_norm", () -> new GroupNorm(2, 4));
        MODULES.put("group_norm_images", () -> new GroupNorm(3, 6));
        MODULES.put("group_norm_features", () -> new GroupNorm(2, 4, GroupNorm.Options.defaults().withEps(1e-3)));
        MODULES.put("group_norm_one_group", () -> new GroupNorm(1, 3));
        MODULES.put("group_norm_group_per_channel", () -> new GroupNorm(3, 3));
        MODULES.put("group_norm_no_affine", () -> new GroupNorm(2, 4, GroupNorm.Options.defaults().withAffine(false)));
    }

    static Stream<String> cases() {
        return MODULES.keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchStepByStep(String name) {
        JsonNode c = NORMALIZATION.get(name);
        Module module = MODULES.get(name).get();
        assertEquals(c.get("module").asText(), module.toString(), name + ": the module as PyTorch prints it");
        Map<String, Tensor> state = module.namedState();
        assertEquals(fieldNames(c.get("state")), state.keySet(), name + ": state names");
        state.forEach((n, v) -> {
            float[] values = Fixtures.tensor(c.get("state").get(n)).data();
            System.arraycopy(values, 0, v.data(), 0, values.length);
        });
        int k = 0;
        for (JsonNode step : c.get("steps")) {
            String what = name + " step " + k++ + (step.get("train").asBoolean() ? " (training)" : " (evaluation)");
            module.train(step.get("train").asBoolean());
            module.zeroGrad();
            Tensor x = Fixtures.tensor(step.get("input")).requiresGrad(true);
            Tensor y = module.forward(x);
            assertClose(what + " output", Fixtures.tensor(step.get("output")), y);
            y.backward(Fixtures.tensor(step.get("upstream")));
            assertClose(what + " input gradient", Fixtures.tensor(step.get("grad_input")), x.grad());
            module.namedParameters().forEach((n, p) -> {
                assertNotNull(p.grad(), what + ": " + n + " has no gradient");
                assertClose(what + " gradient of " + n, Fixtures.tensor(step.get("grads").get(n)), p.grad());
            });
            step.get("state").fields().forEachRemaining(e ->
                    assertClose(what + " " + e.getKey() + " afterwards", Fixtures.tensor(e.getValue()),
                            state.get(e.getKey())));
        }
    }

    @Test
    void everyFixtureCaseIsChecked() {
        Set<String> names = new LinkedHashSet<>();
        NORMALIZATION.names().forEach(names::add);
        assertEquals(names, MODULES.keySet(), "cases of normalization.json and the modules built for them");
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
