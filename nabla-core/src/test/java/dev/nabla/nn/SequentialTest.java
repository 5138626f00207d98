package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A Linear and the activation after it run as one op, with the same bits as the two layers one after the other. */
class SequentialTest {
    private static final Map<String, Supplier<Module>> ACTIVATIONS = Map.of(
            "relu", ReLU::new, "sigmoid", Sigmoid::new, "tanh", Tanh::new);

    private static Sequential model(String activation) {
        Rng rng = new Rng(3);
        Supplier<Module> act = ACTIVATIONS.get(activation);
        return new Sequential(new Linear(13, 40, rng), act.get(), new Linear(40, 40, rng), act.get(),
                new Linear(40, 5, false, rng), act.get(), new Linear(5, 3, rng));
    }

    /** Output and every parameter's gradient of sum(model(x) · r), as float bits. */
    private static List<float[]> run(Sequential model) {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, 37, 13);
        Tensor y = model.call(x);
        Functional.sum(Functional.mul(y, Tensor.randn(rng, 37, 3))).backward();
        List<float[]> out = new ArrayList<>();
        out.add(y.toArray());
        for (Tensor p : model.parameters()) {
            out.add(p.grad().toArray());
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh"})
    void aLinearAndItsActivationRunAsOneOpWithTheBitsOfTwoLayers(String activation) {
        Sequential fused = model(activation);
        Sequential apart = model(activation);
        for (int i = 0; i < apart.size(); i++) {
            apart.get(i).addForwardHook((m, in, out) -> { });   // a hook keeps each layer's own output
        }

        List<float[]> expected = run(apart);
        List<float[]> actual = run(fused);

        assertEquals("Affine", fused.forward(Tensor.zeros(1, 13)).gradFn().name());
        Tensor hidden = new Sequential(fused.get(0), fused.get(1)).forward(Tensor.zeros(1, 13));
        assertEquals("Affine", hidden.gradFn().name(), "Linear + " + activation + " is one op");
        Tensor hooked = new Sequential(apart.get(0), apart.get(1)).forward(Tensor.zeros(1, 13));
        assertEquals(Map.of("relu", "Relu", "sigmoid", "Sigmoid", "tanh", "Tanh").get(activation),
                hooked.gradFn().name(), "with hooks the layers stay apart");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), i == 0 ? "output" : "gradient of parameter " + (i - 1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "sigmoid", "tanh"})
    void aHookOnTheActivationSeesItsInputAndOutput(String activation) {
        Sequential model = model(activation);
        List<Tensor> seen = new ArrayList<>();
        model.get(1).addForwardHook((m, in, out) -> {
            seen.add(in);
            seen.add(out);
        });
        Tensor x = Tensor.randn(new Rng(9), 4, 13);
        model.call(x);
        Tensor linear = model.get(0).forward(x);
        assertArrayEquals(linear.toArray(), seen.get(0).toArray());
        assertArrayEquals(model.get(1).forward(linear).toArray(), seen.get(1).toArray());
    }
}
