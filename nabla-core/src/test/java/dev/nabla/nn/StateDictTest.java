package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateDictTest {
    private static Sequential mlp(long seed) {
        return new MlpSpec(4, List.of(3), 2, Activation.RELU, Init.Scheme.DEFAULT, true).build(new Rng(seed));
    }

    @Test
    void stateDictIsADetachedCopyUnderPyTorchsNames() {
        Sequential model = mlp(1);
        Map<String, Tensor> state = model.stateDict();
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "3.weight", "3.bias"), List.copyOf(state.keySet()));
        assertNotSame(model.namedState().get("0.weight").data(), state.get("0.weight").data());
        state.get("0.weight").data()[0] = 42;
        assertEquals(false, model.namedState().get("0.weight").data()[0] == 42);
    }

    @Test
    void loadingAnotherModelsStateMakesItTheSame() {
        Sequential source = mlp(1);
        Sequential target = mlp(2);
        assertEquals(new Module.LoadResult(List.of(), List.of()), target.loadStateDict(source.stateDict(), true));
        source.namedState().forEach((name, t) -> assertArrayEquals(t.data(), target.namedState().get(name).data(), name));
    }

    @Test
    void aStrictLoadNamesEveryMissingUnexpectedAndMisShapedEntryAndChangesNothing() {
        Sequential target = mlp(2);
        Map<String, Tensor> before = target.stateDict();
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(1).stateDict());
        state.remove("3.bias");
        state.put("fc.weight", Tensor.zeros(1));
        state.put("0.weight", Tensor.zeros(3, 5));
        var e = assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state, true));
        assertEquals("the state dict does not fit this Sequential: missing 3.bias [2]; unexpected fc.weight; shapes "
                + "differ for 0.weight: [3, 5] in the state dict, [3, 4] in the model. Nothing was loaded: build the "
                + "model the state was saved from, or load with strict = false to skip missing and unexpected names",
                e.getMessage());
        before.forEach((name, t) -> assertArrayEquals(t.data(), target.namedState().get(name).data(), name));
    }

    @Test
    void aLenientLoadSkipsMissingAndUnexpectedNamesButNotWrongShapes() {
        Sequential target = mlp(2);
        Map<String, Tensor> state = new LinkedHashMap<>(mlp(1).stateDict());
        state.remove("3.bias");
        state.put("extra", Tensor.zeros(1));
        Module.LoadResult result = target.loadStateDict(state, false);
        assertEquals(new Module.LoadResult(List.of("3.bias"), List.of("extra")), result);
        assertArrayEquals(state.get("3.weight").data(), target.namedState().get("3.weight").data());
        state.put("3.weight", Tensor.zeros(1, 1));
        assertThrows(IllegalArgumentException.class, () -> target.loadStateDict(state, false));
    }

    @Test
    void namedSequentialGivesPyTorchsOrderedDictNames() {
        Map<String, Module> layers = new LinkedHashMap<>();
        layers.put("fc1", new Linear(4, 3, new Rng(0)));
        layers.put("act", new ReLU());
        layers.put("fc2", new Linear(3, 2, new Rng(0)));
        Sequential model = new Sequential(layers);
        assertEquals(List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"), List.copyOf(model.stateDict().keySet()));
        assertEquals(3, model.size());
        assertEquals(List.of(2, 2), List.of(model.forward(Tensor.ones(2, 4)).shape().dims()[0],
                model.forward(Tensor.ones(2, 4)).shape().dims()[1]));
        assertEquals("Sequential(\n  (fc1): Linear(in_features=4, out_features=3, bias=True)\n  (act): ReLU()\n"
                + "  (fc2): Linear(in_features=3, out_features=2, bias=True)\n)", model.toString());
    }

    @Test
    void generatorsAreListedByPath() {
        Sequential model = new Sequential(new Linear(2, 2, new Rng(0)), new Dropout(0.5f, new Rng(1)));
        assertEquals(List.of("1.generator"), List.copyOf(model.namedGenerators().keySet()));
    }
}
