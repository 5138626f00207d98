package dev.nabla.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureMapsTest {
    private static final CnnSpec SPEC = new CnnSpec(8, 8, List.of(4, 6), List.of(10), 3, true, 0);

    @Test
    void eachBlocksReluOutputIsKeptForEveryImageWithItsFirstChannels() {
        Sequential model = SPEC.build(new Rng(3));
        Tensor images = Tensor.randn(new Rng(4), 3, 64);
        FeatureMaps maps = FeatureMaps.capture(model, images, 5);
        assertEquals(2, maps.blocks().size(), maps.toString());
        assertEquals("2", maps.blocks().get(0).layer());
        assertArrayEquals(new int[] {3, 4, 8, 8}, maps.blocks().get(0).maps().shape().dims(), "4 channels, all kept");
        assertEquals("6", maps.blocks().get(1).layer());
        assertArrayEquals(new int[] {3, 5, 4, 4}, maps.blocks().get(1).maps().shape().dims(), "the first 5 of 6");
        assertTrue(model.isTraining(), "the model is left in the mode it was in");

        model.eval();
        Tensor expected;
        try (NoGrad scope = NoGrad.enter()) {   // unflatten, conv, batch norm, ReLU
            expected = model.get(3).call(model.get(2).call(model.get(1).call(model.get(0).call(images))));
        }
        assertArrayEquals(expected.data(), maps.blocks().get(0).maps().data(), "the block's output in eval mode");
    }

    @Test
    void aNetworkWithoutFeatureMapsHasNoBlocksAndChannelsMustBePositive() {
        Sequential mlp = new dev.nabla.nn.MlpSpec(4, List.of(3), 2, dev.nabla.ops.Activation.RELU,
                dev.nabla.nn.Init.Scheme.DEFAULT, false).build(new Rng(1));
        assertEquals(0, FeatureMaps.capture(mlp, Tensor.ones(2, 4), 4).blocks().size());
        assertThrows(IllegalArgumentException.class, () -> FeatureMaps.capture(mlp, Tensor.ones(2, 4), 0));
    }
}
