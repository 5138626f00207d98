package dev.nabla.ops;

import static dev.nabla.ops.Functional.batchNorm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Functional#batchNorm}'s contract beyond the values pinned in {@code ops.json}: the running statistics it
 * updates, and the errors a caller can make.
 */
class BatchNormTest {
    private static final Tensor X = Tensor.of(new float[] {1, 10, 2, 20, 4, 40, 5, 50}, 4, 2);   // channel means 3, 30

    @Test
    void batchNormFollowedByReluAsOneOpGivesTheTwoOpsValuesAndGradientsBitForBit() {
        for (boolean training : new boolean[] {true, false}) {
            for (int[] shape : new int[][] {{6, 5}, {4, 3, 5, 7}}) {
                Rng rng = new Rng(4);
                Tensor x = Tensor.randn(rng, shape);
                Tensor gamma = Tensor.randn(rng, shape[1]);
                Tensor beta = Tensor.randn(rng, shape[1]);
                Tensor upstream = Tensor.randn(rng, shape);
                Tensor[] fused = run(x, gamma, beta, upstream, training, true);
                Tensor[] apart = run(x, gamma, beta, upstream, training, false);
                for (int k = 0; k < fused.length; k++) {
                    assertArrayEquals(apart[k].data(), fused[k].data(), "output, dx, dγ, dβ: " + k);
                }
            }
        }
    }

    private static Tensor[] run(Tensor x0, Tensor gamma0, Tensor beta0, Tensor upstream, boolean training,
                                boolean fused) {
        Tensor x = x0.detach().copy().requiresGrad(true);
        Tensor gamma = gamma0.detach().copy().requiresGrad(true);
        Tensor beta = beta0.detach().copy().requiresGrad(true);
        int c = x.dim(1);
        Tensor mean = Tensor.randn(new Rng(8), c);
        Tensor var = Functional.add(Functional.mul(mean, mean), Tensor.scalar(0.5f)).detach();
        Tensor y = fused ? Functional.batchNormRelu(x, mean, var, gamma, beta, training, 0.1, 1e-5)
                : Functional.relu(batchNorm(x, mean, var, gamma, beta, training, 0.1, 1e-5));
        y.backward(upstream);
        return new Tensor[] {y, x.grad(), gamma.grad(), beta.grad()};
    }

    @Test
    void trainingUpdatesTheRunningStatisticsWithTheUnbiasedVariance() {
        Tensor mean = Tensor.of(new float[] {1, 1});
        Tensor var = Tensor.of(new float[] {2, 2});
        batchNorm(X, mean, var, null, null, true, 0.25, 1e-5);
        // channel 0: mean 3, unbiased variance (4 + 1 + 1 + 4)/3; channel 1 is ten times channel 0
        assertArrayEquals(new float[] {0.75f * 1 + 0.25f * 3, 0.75f * 1 + 0.25f * 30}, mean.data(), 1e-6f);
        assertArrayEquals(new float[] {0.75f * 2 + 0.25f * 10 / 3f, 0.75f * 2 + 0.25f * 1000 / 3f}, var.data(), 1e-4f);
    }

    @Test
    void trainingNormalisesWithTheBiasedBatchVariance() {
        Tensor y = batchNorm(X, null, null, null, null, true, 0.1, 0);
        float sd = (float) Math.sqrt(10 / 4.0);
        assertArrayEquals(new float[] {-2 / sd, -2 / sd, -1 / sd, -1 / sd, 1 / sd, 1 / sd, 2 / sd, 2 / sd}, y.data(), 1e-6f);
    }

    @Test
    void evaluationUsesTheRunningStatisticsAndLeavesThemAlone() {
        Tensor mean = Tensor.of(new float[] {1, 2});
        Tensor var = Tensor.of(new float[] {4, 16});
        Tensor y = batchNorm(X, mean, var, Tensor.of(new float[] {2, 1}), Tensor.of(new float[] {0, 1}), false, 0.1, 0);
        assertArrayEquals(new float[] {0, 3, 1, 5.5f, 3, 10.5f, 4, 13}, y.data(), 1e-6f);
        assertArrayEquals(new float[] {1, 2}, mean.data());
        assertArrayEquals(new float[] {4, 16}, var.data());
    }

    @Test
    void runningStatisticsAreUpdatedEvenWithoutGradientRecording() {
        Tensor mean = Tensor.zeros(2);
        Tensor var = Tensor.ones(2);
        try (var _ = NoGrad.enter()) {
            batchNorm(X, mean, var, null, null, true, 1.0, 1e-5);
        }
        assertArrayEquals(new float[] {3, 30}, mean.data(), 1e-6f);
    }

    @Test
    void aLargeMeanDoesNotCancelTheVariance() {
        Tensor x = Tensor.zeros(256, 1);   // 10 000 ± 0.5: E[x²] − E[x]² in float32 would lose it all
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = 1e4f + (i % 2 == 0 ? 0.5f : -0.5f);
        }
        Tensor mean = Tensor.zeros(1);
        Tensor var = Tensor.zeros(1);
        batchNorm(x, mean, var, null, null, true, 1.0, 0);
        assertEquals(1e4f, mean.data()[0]);
        assertEquals(0.25 * 256 / 255, var.data()[0], 1e-6);
    }

    @Test
    void oneValuePerChannelInTrainingSaysWhyAndWhatToDo() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> batchNorm(Tensor.ones(1, 8), null, null, null, null, true, 0.1, 1e-5)).getMessage();
        assertTrue(message.contains("[1, 8]"), message);
        assertTrue(message.contains("variance of a single value is undefined"), message);
        assertTrue(message.contains("batch size > 1"), message);
        assertTrue(message.contains("eval()"), message);
        assertTrue(message.contains("LayerNorm or GroupNorm"), message);
        // one sample but several values per channel is fine, as in PyTorch
        batchNorm(Tensor.randn(new Rng(1), 1, 2, 3), null, null, null, null, true, 0.1, 1e-5);
    }

    @Test
    void evaluationWithoutRunningStatisticsIsRejected() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> batchNorm(X, null, null, null, null, false, 0.1, 1e-5)).getMessage();
        assertTrue(message.contains("running mean and variance"), message);
    }

    @Test
    void shapesAreChecked() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> batchNorm(X, null, null, Tensor.ones(3), null, true, 0.1, 1e-5)).getMessage()
                .contains("weight [3] must be [2]"));
        assertThrows(IllegalArgumentException.class,
                () -> batchNorm(Tensor.ones(4), null, null, null, null, true, 0.1, 1e-5));
        assertThrows(IllegalArgumentException.class,
                () -> batchNorm(X, Tensor.zeros(2), null, null, null, true, 0.1, 1e-5));
        assertThrows(IllegalArgumentException.class,
                () -> batchNorm(X, null, null, null, null, true, 1.5, 1e-5));
    }
}
