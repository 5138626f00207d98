package dev.nabla.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The losses example of the README, verbatim, must compile and give the values of PyTorch's formulas. */
class ReadmeLossExampleTest {
    @Test
    void readmeLossExampleRuns() {
        Tensor logits = Tensor.of(new float[][] {{2.0f, 1.0f, 0.1f}, {0.5f, 2.5f, -1.0f}}).requiresGrad(true);
        int[] labels = {0, 1};

        var lossFn = CrossEntropyLoss.builder()
                .labelSmoothing(0.1f)
                .weight(Tensor.of(new float[] {1f, 2f, 1f}))   // class 1 counts twice
                .build();
        Tensor loss = lossFn.apply(logits, labels);
        loss.backward();                                     // logits.grad(): (p − target) per row, weighted

        Tensor teacher = Tensor.of(new float[][] {{0.7f, 0.2f, 0.1f}, {0.0f, 0.9f, 0.1f}});
        Tensor softLoss = new CrossEntropyLoss().apply(logits, teacher);      // soft targets
        Tensor kl = new KLDivLoss(Reduction.BATCHMEAN, false)                 // KL(teacher ‖ softmax(logits))
                .apply(Functional.logSoftmax(logits), teacher);

        Tensor multiLabel = new BCEWithLogitsLoss().apply(logits, Tensor.of(new float[][] {{1, 0, 1}, {0, 1, 0}}));

        // F.cross_entropy(z, [0, 1], weight=[1, 2, 1], label_smoothing=0.1) by PyTorch's formula, in double:
        // Σ_rows Σ_c w_c q_c (−log p_c) / Σ_rows w_target
        double[] p0 = softmax(2.0, 1.0, 0.1);
        double[] p1 = softmax(0.5, 2.5, -1.0);
        double eps = 0.1;
        double[] w = {1, 2, 1};
        double row0 = 0;
        double row1 = 0;
        for (int c = 0; c < 3; c++) {
            row0 -= w[c] * ((c == 0 ? 1 - eps : 0) + eps / 3) * Math.log(p0[c]);
            row1 -= w[c] * ((c == 1 ? 1 - eps : 0) + eps / 3) * Math.log(p1[c]);
        }
        assertEquals((row0 + row1) / (w[0] + w[1]), loss.item(), 1e-5);
        assertEquals(2, logits.grad().dim(0));
        double h = -(0.7 * Math.log(0.7) + 0.2 * Math.log(0.2) + 0.1 * Math.log(0.1) + 0.9 * Math.log(0.9)
                + 0.1 * Math.log(0.1)) / 2;
        assertEquals(softLoss.item() - h, kl.item(), 1e-5, "cross-entropy = entropy + KL");
        assertTrue(multiLabel.item() > 0);
    }

    private static double[] softmax(double... z) {
        double max = Math.max(z[0], Math.max(z[1], z[2]));
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
