package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
    private static final Fixtures CLIP = Fixtures.load("clip.json");

    private static List<Tensor> paramsWithGrads(JsonNode c) {
        List<Tensor> params = new ArrayList<>();
        for (JsonNode g : c.get("grads_before")) {
            Tensor grad = Fixtures.tensor(g);
            Tensor p = Tensor.zeros(grad.shape()).requiresGrad(true);
            p.setGrad(grad);
            params.add(p);
        }
        return params;
    }

    @ParameterizedTest
    @ValueSource(strings = {"norm_1", "norm_large", "value_0.5", "value_large"})
    void matchesPyTorch(String name) {
        JsonNode c = CLIP.get(name);
        List<Tensor> params = paramsWithGrads(c);
        double value = c.get("value").asDouble();
        if (c.get("kind").asText().equals("norm")) {
            double norm = GradientClipping.clipByNorm(params, value);
            assertEquals(c.get("total_norm").asDouble(), norm, 1e-5 * norm);
        } else {
            GradientClipping.clipByValue(params, value);
        }
        for (int i = 0; i < params.size(); i++) {
            Tensor expected = Fixtures.tensor(c.get("grads_after").get(i));
            for (int j = 0; j < expected.size(); j++) {
                float e = expected.data()[j];
                assertEquals(e, params.get(i).grad().data()[j], 1e-6 + 1e-5 * Math.abs(e), name + " param " + i);
            }
        }
    }

    @Test
    void clippedGradientsHaveTheMaximumNorm() {
        List<Tensor> params = paramsWithGrads(CLIP.get("norm_1"));
        double before = GradientClipping.clipByNorm(params, 0.25);
        assertTrue(before > 0.25);
        assertEquals(0.25, GradientClipping.globalNorm(params), 1e-5);
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        assertEquals(0.0, GradientClipping.clipByNorm(List.of(p), 1.0));
        GradientClipping.clipByValue(List.of(p), 1.0);
        assertEquals(null, p.grad());
    }

    @Test
    void nonPositiveLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByNorm(List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByValue(List.of(), -1));
        assertThrows(IllegalArgumentException.class, () -> GradientClipping.clipByNorm(List.of(), Double.NaN));
    }
}
