package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Digits;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A network with batch normalisation trained for real, then used for inference. */
class BatchNormTrainingTest {
    @Test
    void afterTrainingOnDigitsEvalModeComputesTheClosedFormFromTheRunningStatistics() {
        Sequential model = new MlpSpec(64, List.of(32), 10, Activation.RELU, Init.Scheme.DEFAULT, true).build(new Rng(4));
        History history = Trainer.builder(model, new Adam(model.parameters(), 1e-2)).epochs(5).seed(4).build()
                .fit(Digits.train(), Digits.test());
        assertTrue(history.last().testAccuracy() > 0.9, "test accuracy " + history.last().testAccuracy());

        Linear linear = (Linear) model.get(0);
        BatchNorm1d bn = (BatchNorm1d) model.get(1);
        int batchesPerEpoch = (Digits.train().size() + 63) / 64;
        assertEquals(5L * batchesPerEpoch, bn.numBatchesTracked());
        float[] mean = bn.runningMean().data();
        float[] var = bn.runningVar().data();
        float[] gamma = bn.weight().data();
        float[] beta = bn.bias().data();
        assertNotEquals(0f, mean[0], "running mean never updated");
        assertNotEquals(1f, var[0], "running variance never updated");
        assertNotEquals(1f, gamma[0], "γ never trained");

        model.eval();
        Batch batch = new DataLoader(Digits.test(), 50).iterator().next();
        try (var _ = NoGrad.enter()) {
            Tensor h = linear.forward(batch.x());
            Tensor y = bn.forward(h);
            int c = bn.numFeatures();
            for (int n = 0; n < batch.size(); n++) {
                for (int j = 0; j < c; j++) {
                    double expected = gamma[j] * (h.get(n, j) - (double) mean[j]) / Math.sqrt(var[j] + 1e-5) + beta[j];
                    assertEquals(expected, y.get(n, j), 1e-5 + 1e-5 * Math.abs(expected), "sample " + n + ", channel " + j);
                }
            }
            // in evaluation mode a sample's output does not depend on the rest of the batch
            Tensor alone = bn.forward(Tensor.of(java.util.Arrays.copyOfRange(h.data(), 7 * c, 8 * c), 1, c));
            for (int j = 0; j < c; j++) {
                assertEquals(y.get(7, j), alone.get(0, j), "sample 7 alone, channel " + j);
            }
        }
        assertEquals(5L * batchesPerEpoch, bn.numBatchesTracked(), "evaluation must not count batches");
    }
}
