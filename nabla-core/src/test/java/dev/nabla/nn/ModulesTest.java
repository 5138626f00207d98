package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.OpCheck;
import org.junit.jupiter.api.Test;

class ModulesTest {
    /** A trained-looking model: random γ and β, and running statistics from a few batches far from 0 and 1. */
    private static Sequential modelWithBatchNorm(BatchNorm.Options options) {
        Rng rng = new Rng(11);
        Sequential model = new Sequential(new Linear(6, 5, rng), new BatchNorm1d(5, options), new ReLU(),
                new Linear(5, 4, false, rng), new BatchNorm1d(4, options), new Tanh(), new Linear(4, 3, rng));
        model.namedParameters().forEach((name, p) -> {
            if (name.startsWith("1.") || name.startsWith("4.")) {
                for (int i = 0; i < p.size(); i++) {
                    p.data()[i] = (name.endsWith("weight") ? 1f : 0f) + 0.5f * rng.nextGaussian();
                }
            }
        });
        for (int step = 0; step < 5; step++) {
            Tensor x = Tensor.randn(rng, 16, 6);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = 3 * x.data()[i] + 2;
            }
            model.forward(x);
        }
        return (Sequential) model.eval();
    }

    @Test
    void fusedModelGivesTheSameOutputsWithOneLinearPerPair() {
        for (BatchNorm.Options options : new BatchNorm.Options[] {BatchNorm.Options.defaults(),
            BatchNorm.Options.defaults().withAffine(false).withEps(1e-3)}) {
            Sequential model = modelWithBatchNorm(options);
            Sequential fused = Modules.fuseBatchNorm(model);
            assertEquals(5, fused.size(), fused.toString());
            assertTrue(fused.namedModules().values().stream().noneMatch(m -> m instanceof BatchNorm), fused.toString());
            assertInstanceOf(Linear.class, fused.get(0));
            assertSame(model.get(2), fused.get(1));   // modules other than the folded pairs are shared
            assertFalse(fused.isTraining());

            Tensor x = Tensor.randn(new Rng(5), 32, 6);
            for (int i = 0; i < x.size(); i++) {
                x.data()[i] = 3 * x.data()[i] + 2;
            }
            try (var _ = NoGrad.enter()) {
                OpCheck.assertClose(model.forward(x), fused.forward(x), 1e-5, 1e-5, "fused vs unfused " + options);
            }
        }
    }

    @Test
    void fusingLeavesTheModelAsItWas() {
        Sequential model = modelWithBatchNorm(BatchNorm.Options.defaults());
        float[] weight = ((Linear) model.get(0)).weight().toArray();
        Sequential fused = Modules.fuseBatchNorm(model);
        assertNotSame(((Linear) model.get(0)).weight(), ((Linear) fused.get(0)).weight());
        assertTrue(java.util.Arrays.equals(weight, ((Linear) model.get(0)).weight().data()));
        assertEquals(7, model.size());
    }

    @Test
    void nestedSequentialsAreFusedAndBatchNormWithoutRunningStatisticsStays() {
        BatchNorm1d untracked = new BatchNorm1d(3, BatchNorm.Options.defaults().withTrackRunningStats(false));
        Sequential model = new Sequential(new Sequential(new Linear(2, 3, new Rng(1)), new BatchNorm1d(3)),
                new Linear(3, 3, new Rng(2)), untracked);
        model.eval();
        Sequential fused = Modules.fuseBatchNorm(model);
        assertEquals(1, ((Sequential) fused.get(0)).size());
        assertSame(untracked, fused.get(2));
    }

    @Test
    void aModelInTrainingModeIsRefused() {
        Sequential model = new Sequential(new Linear(2, 3, new Rng(1)), new BatchNorm1d(3));
        String message = assertThrows(IllegalStateException.class, () -> Modules.fuseBatchNorm(model)).getMessage();
        assertTrue(message.contains("call model.eval() first"), message);
    }
}
