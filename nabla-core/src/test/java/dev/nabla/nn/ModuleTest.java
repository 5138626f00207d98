package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private final Sequential model = new Sequential(new Linear(4, 3, new Rng(1)), new ReLU(),
            new Dropout(0.5f, new Rng(2)), new Linear(3, 2, false, new Rng(3)));

    @Test
    void parametersAreNamedByPathAsInPyTorch() {
        assertEquals(List.of("0.weight", "0.bias", "3.weight"), List.copyOf(model.namedParameters().keySet()));
        assertEquals(3, model.parameters().size());
        assertEquals(4 * 3 + 3 + 3 * 2, model.parameterCount());
        assertTrue(model.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void modulesAreNamedByPath() {
        assertEquals(List.of("", "0", "1", "2", "3"), List.copyOf(model.namedModules().keySet()));
        assertSame(model.get(3), model.namedModules().get("3"));
    }

    @Test
    void evalAndTrainReachEverySubModule() {
        model.eval();
        assertFalse(model.isTraining());
        assertTrue(model.namedModules().values().stream().noneMatch(Module::isTraining));
        model.train();
        assertTrue(model.namedModules().values().stream().allMatch(Module::isTraining));
    }

    @Test
    void zeroGradClearsEveryParameterGradient() {
        Tensor x = Tensor.ones(2, 4);
        dev.nabla.ops.Functional.sum(model.forward(x)).backward();
        assertTrue(model.parameters().stream().allMatch(p -> p.grad() != null));
        model.zeroGrad();
        for (Tensor p : model.parameters()) {
            for (float g : p.grad().data()) {
                assertEquals(0f, g);
            }
        }
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("""
                Sequential(
                  (0): Linear(in_features=4, out_features=3, bias=True)
                  (1): ReLU()
                  (2): Dropout(p=0.5)
                  (3): Linear(in_features=3, out_features=2, bias=False)
                )""", model.toString());
    }

    @Test
    void duplicateNamesAreRejected() {
        class Twice extends Module {
            Twice() {
                registerParameter("w", Tensor.zeros(1));
                registerParameter("w", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertThrows(IllegalArgumentException.class, Twice::new);
    }

    /** A module with a parameter and a buffer, as a layer with running statistics has. */
    private static final class Counting extends Module {
        Counting() {
            registerParameter("scale", Tensor.ones(2));
            registerBuffer("count", Tensor.scalar(0f));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void buffersAreNamedByPathButAreNotParameters() {
        Sequential net = new Sequential(new Linear(2, 2, new Rng(1)), new Counting());
        assertEquals(List.of("1.count"), List.copyOf(net.namedBuffers().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.scale"), List.copyOf(net.namedParameters().keySet()));
        assertFalse(net.namedBuffers().get("1.count").requiresGrad());
    }

    @Test
    void namedStateListsParametersThenBuffersPerModuleAsStateDictDoes() {
        Sequential net = new Sequential(new Counting(), new Linear(2, 2, new Rng(1)), new Counting());
        assertEquals(List.of("0.scale", "0.count", "1.weight", "1.bias", "2.scale", "2.count"),
                List.copyOf(net.namedState().keySet()));
        assertSame(net.namedBuffers().get("2.count"), net.namedState().get("2.count"));
    }

    @Test
    void stateValuesAreASnapshotThatSetStateValuesPutsBackIntoAnotherCopy() {
        Sequential net = new Sequential(new Counting(), new Linear(2, 2, new Rng(1)));
        java.util.Map<String, float[]> values = net.stateValues();
        assertEquals(List.copyOf(net.namedState().keySet()), List.copyOf(values.keySet()));
        float before = net.namedState().get("1.weight").data()[0];
        values.get("1.weight")[0] = before + 1;
        assertEquals(before, net.namedState().get("1.weight").data()[0], 0f, "a copy, not the model's own");
        Sequential other = new Sequential(new Counting(), new Linear(2, 2, new Rng(2)));
        other.setStateValues(values);
        assertArrayEquals(values.get("1.weight"), other.namedState().get("1.weight").data());
        assertArrayEquals(values.get("1.bias"), other.namedState().get("1.bias").data());
    }

    @Test
    void aBufferThatRequiresGradOrReusesANameIsRejected() {
        class GradBuffer extends Module {
            GradBuffer() {
                registerBuffer("b", Tensor.zeros(1).requiresGrad(true));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        class Clash extends Module {
            Clash() {
                registerParameter("w", Tensor.zeros(1));
                registerBuffer("w", Tensor.zeros(1));
            }

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        }
        assertTrue(assertThrows(IllegalArgumentException.class, GradBuffer::new).getMessage()
                .contains("registerParameter"));
        assertThrows(IllegalArgumentException.class, Clash::new);
    }
}
