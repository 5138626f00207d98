package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.ops.Functional;
import dev.nabla.ops.GeluApproximation;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each module, given PyTorch's parameter values under PyTorch's names, gives PyTorch's output and gradients
 * (fixtures from {@code tools/fixtures/nn.py}). The names matching proves the layout is PyTorch's too.
 */
class ModulesMatchPyTorchTest {
    private static final Fixtures NN = Fixtures.load("nn.json");
    private static final double ABS_TOL = 1e-5;
    private static final double REL_TOL = 1e-4;

    static java.util.stream.Stream<Arguments> modules() {
        Rng rng = new Rng(1);
        Map<String, Supplier<Module>> builders = new java.util.LinkedHashMap<>();
        builders.put("linear", () -> new Linear(5, 3, rng));
        builders.put("linear_no_bias", () -> new Linear(5, 3, false, rng));
        builders.put("flatten_linear", () -> new Sequential(new Flatten(), new Linear(12, 2, rng)));
        builders.put("sigmoid", Sigmoid::new);
        builders.put("tanh", Tanh::new);
        builders.put("relu", ReLU::new);
        builders.put("leaky_relu", LeakyReLU::new);
        builders.put("leaky_relu_0.2", () -> new LeakyReLU(0.2f));
        builders.put("mlp_cross_entropy", () -> new Sequential(new Linear(6, 5, rng), new Tanh(),
                new Linear(5, 4, rng), new ReLU(), new Linear(4, 3, rng)));
        builders.put("mlp_sigmoid_leaky", () -> new Sequential(new Linear(4, 6, rng), new Sigmoid(),
                new Linear(6, 6, rng), new LeakyReLU(), new Linear(6, 5, rng)));
        builders.put("elu_0.7", () -> new ELU(0.7));
        builders.put("gelu_tanh", () -> new GELU(GeluApproximation.TANH));
        builders.put("mlp_gelu_elu", () -> new Sequential(new Linear(4, 6, rng), new GELU(), new Linear(6, 6, rng),
                new ELU(), new Linear(6, 3, rng)));
        builders.put("conv2d_3x3_pad1", () -> new Conv2d(3, 4, 3, Conv2d.Options.defaults().withPadding(1), rng));
        builders.put("conv2d_groups_stride_dilation", () -> new Conv2d(4, 6, 3, Conv2d.Options.defaults()
                .withStride(2).withPadding(2).withDilation(2).withGroups(2), rng));
        builders.put("conv2d_same_no_bias", () -> new Conv2d(2, 3, 4, 3, Conv2d.Options.defaults().withSamePadding()
                .withBias(false), rng));
        builders.put("pools", () -> new Sequential(new MaxPool2d(3, 2, 1), new AvgPool2d(2),
                new AdaptiveAvgPool2d(2, 1)));
        builders.put("cnn_cross_entropy", () -> new CnnSpec(8, 8, java.util.List.of(4, 6), java.util.List.of(5), 3,
                true, 0).build(rng));
        return builders.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void matchesPyTorch(String name, Supplier<Module> builder) {
        JsonNode c = NN.get(name);
        Module module = builder.get();
        Map<String, Tensor> params = module.namedParameters();
        assertEquals(fieldNames(c.get("params")), params.keySet(), "parameter names");
        params.forEach((n, p) -> {
            float[] values = Fixtures.tensor(c.get("params").get(n)).data();
            System.arraycopy(values, 0, p.data(), 0, values.length);
        });

        Tensor x = Fixtures.tensor(c.get("input")).requiresGrad(true);
        Tensor y = module.forward(x);
        assertClose(name + " output", Fixtures.tensor(c.get("output")), y);
        if (c.has("targets")) {
            Tensor loss = Functional.crossEntropy(y, Fixtures.ints(c.get("targets")));
            assertEquals(c.get("loss").asDouble(), loss.item(), ABS_TOL + REL_TOL * Math.abs(loss.item()));
            loss.backward();
        } else {
            y.backward(Fixtures.tensor(c.get("upstream")));
        }
        assertClose(name + " input gradient", Fixtures.tensor(c.get("grad_input")), x.grad());
        params.forEach((n, p) -> {
            assertNotNull(p.grad(), n + " has no gradient");
            assertClose(name + " gradient of " + n, Fixtures.tensor(c.get("grads").get(n)), p.grad());
        });
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertNotNull(actual, what + " is missing");
        assertEquals(expected.shape(), actual.shape(), what + " shape");
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.data()[i];
            float a = actual.data()[i];
            assertEquals(e, a, ABS_TOL + REL_TOL * Math.abs(e), what + " at flat index " + i);
        }
    }
}
