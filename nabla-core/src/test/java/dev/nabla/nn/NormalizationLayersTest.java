package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.ops.Functional;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The normalisation layers' behaviour beyond the values PyTorch pins: state, modes, errors. */
class NormalizationLayersTest {
    @Test
    void stateIsNamedAsPyTorchsStateDict() {
        Sequential model = new Sequential(new Linear(4, 3, new Rng(1)), new BatchNorm1d(3), new ReLU(),
                new Linear(3, 2, new Rng(2)));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                "1.num_batches_tracked", "3.weight", "3.bias"), List.copyOf(model.namedState().keySet()));
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked"),
                List.copyOf(model.namedBuffers().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"),
                List.copyOf(model.namedParameters().keySet()));
        assertEquals(List.of("weight", "bias"), List.copyOf(new LayerNorm(3).namedState().keySet()));
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(
                new BatchNorm2d(3, BatchNorm.Options.defaults().withAffine(false)).namedState().keySet()));
        assertEquals(List.of(), List.copyOf(new BatchNorm1d(3, BatchNorm.Options.defaults().withAffine(false)
                .withTrackRunningStats(false)).namedState().keySet()));
    }

    @Test
    void theOptimizerTrainsGammaAndBetaButNeverTheRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Adam adam = new Adam(bn.parameters(), 0.1);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 5, 4, 9}, 3, 2);
        Functional.sum(Functional.mul(bn.forward(x), Tensor.of(new float[] {1, -1, 2, 3, 0, 1}, 3, 2))).backward();
        float[] runningMean = bn.runningMean().toArray();
        adam.step();
        assertArrayEquals(runningMean, bn.runningMean().data());
        assertTrue(bn.weight().data()[0] != 1f && bn.bias().data()[0] != 0f);
        assertNull(bn.runningMean().grad());
    }

    @Test
    void trainingCountsBatchesAndEvaluationDoesNot() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.randn(new Rng(1), 5, 2);
        bn.forward(x);
        bn.forward(x);
        assertEquals(2, bn.numBatchesTracked());
        assertEquals(2f, bn.namedBuffers().get("num_batches_tracked").item());
        float[] mean = bn.runningMean().toArray();
        bn.eval();
        bn.forward(x);
        try (var _ = NoGrad.enter()) {
            bn.forward(x);
        }
        assertEquals(2, bn.numBatchesTracked());
        assertArrayEquals(mean, bn.runningMean().data());
        bn.resetRunningStats();
        assertEquals(0, bn.numBatchesTracked());
        assertArrayEquals(new float[] {1, 1}, bn.runningVar().data());
    }

    @Test
    void oneValuePerChannelInTrainingFailsSayingWhyAndChangesNothing() {
        BatchNorm1d bn = new BatchNorm1d(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(1, 4)));
        assertTrue(e.getMessage().contains("variance of a single value is undefined"), e.getMessage());
        assertTrue(e.getMessage().contains("batch size > 1"), e.getMessage());
        assertTrue(e.getMessage().contains("eval()"), e.getMessage());
        assertTrue(e.getMessage().contains("LayerNorm or GroupNorm"), e.getMessage());
        assertEquals(0, bn.numBatchesTracked());
        assertArrayEquals(new float[4], bn.runningMean().data());
        // the remedies the message names all work
        bn.eval().forward(Tensor.ones(1, 4));
        new LayerNorm(4).forward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4));
        new GroupNorm(2, 4).forward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4));
    }

    @Test
    void wrongShapesNameTheLayerToUse() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.ones(2, 3, 4, 4)))
                .getMessage().contains("use BatchNorm2d"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(3).forward(Tensor.ones(2, 3)))
                .getMessage().contains("use BatchNorm1d"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).forward(Tensor.ones(2, 4)))
                .getMessage().contains("BatchNorm1d(3) got input [2, 4]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new LayerNorm(4).forward(Tensor.ones(2, 3)))
                .getMessage().contains("must be [4]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6)).getMessage()
                .contains("divide"));
        assertThrows(IllegalArgumentException.class, () -> BatchNorm.Options.defaults().withMomentum(1.5));
    }

    @Test
    void layerAndGroupNormDoNotDependOnTheBatchOrTheMode() {
        Tensor batch = Tensor.randn(new Rng(3), 4, 6);
        Tensor first = Tensor.of(java.util.Arrays.copyOf(batch.data(), 6), 1, 6);
        for (Module m : List.of(new LayerNorm(6), new GroupNorm(3, 6))) {
            float[] whole = m.forward(batch).toArray();
            float[] alone = m.eval().forward(first).toArray();
            assertArrayEquals(java.util.Arrays.copyOf(whole, 6), alone, 1e-6f, m.toString());
        }
    }

    @Test
    void printsAsPyTorchDoes() {
        assertEquals("BatchNorm1d(256, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                new BatchNorm1d(256).toString());
        assertEquals("BatchNorm2d(8, eps=0.001, momentum=None, affine=False, track_running_stats=True)",
                new BatchNorm2d(8, BatchNorm.Options.defaults().withEps(1e-3).withMomentum(null).withAffine(false))
                        .toString());
        assertEquals("LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)", new LayerNorm(3, 4).toString());
        assertEquals("GroupNorm(2, 4, eps=1e-05, affine=True)", new GroupNorm(2, 4).toString());
    }
}
