package dev.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The extremes where Nabla differs from PyTorch on purpose, kept out of {@code fixtures/losses.json} (see
 * {@code tools/fixtures/losses.py}) and pinned here to Nabla's documented behaviour; and the extremes where Nabla
 * follows PyTorch even though the result is NaN.
 */
class LossExtremesTest {
    private static final float INF = Float.POSITIVE_INFINITY;

    // --- deliberate differences -------------------------------------------------------------------------------

    /**
     * Soft cross-entropy with a zero-probability target at a −∞ logit (a masked class): PyTorch computes
     * 0·(−∞) = NaN; Nabla counts the term as its limit 0, so the loss is the cross-entropy over the other classes.
     */
    @Test
    void softCrossEntropyCountsAZeroTargetAtAMaskedClassAsZero() {
        Tensor z = Tensor.of(new float[][] {{0f, -INF, 1f}, {2f, 0.5f, -INF}}).requiresGrad(true);
        Tensor q = Tensor.of(new float[][] {{0.5f, 0f, 0.5f}, {0.25f, 0.75f, 0f}}).requiresGrad(true);
        Tensor loss = Functional.crossEntropy(z, q, null, 0f, Reduction.MEAN);
        double[] p0 = softmax(0, 1);        // row 0 over its finite classes 0 and 2
        double[] p1 = softmax(2, 0.5);      // row 1 over its finite classes 0 and 1
        double expected = (-(0.5 * Math.log(p0[0]) + 0.5 * Math.log(p0[1]))
                - (0.25 * Math.log(p1[0]) + 0.75 * Math.log(p1[1]))) / 2;
        assertEquals(expected, loss.item(), 1e-6);

        loss.backward();
        // dz = (p·Σq − q) / N, and 0 at the masked class (its probability is 0)
        assertArrays(new double[] {(p0[0] - 0.5) / 2, 0, (p0[1] - 0.5) / 2, (p1[0] - 0.25) / 2, (p1[1] - 0.75) / 2, 0},
                z.grad().data(), 1e-6);
        // dt_c = −log softmax(z)_c / N: +∞ at the masked class, as in PyTorch
        float[] dq = q.grad().data();
        assertEquals(-Math.log(p0[0]) / 2, dq[0], 1e-6);
        assertEquals(INF, dq[1]);
        assertEquals(INF, dq[5]);
    }

    /** KL with a zero target at a −∞ input: PyTorch's xlogy form gives 0 − 0·(−∞) = NaN; Nabla the limit 0. */
    @Test
    void klDivCountsAZeroTargetAtAMinusInfinityInputAsZero() {
        Tensor x = Tensor.of(new float[] {-INF, -1f, -0.5f}, 3).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {0f, 0f, 0.6f}, 3);
        Tensor loss = Functional.klDiv(x, y, Reduction.NONE, false);
        assertArrays(new double[] {0, 0, 0.6 * (Math.log(0.6) + 0.5)}, loss.data(), 1e-6);
        loss.backward(Tensor.of(new float[] {1f, 1f, 2f}, 3));
        assertArrays(new double[] {0, 0, -1.2}, x.grad().data(), 1e-6);   // dx = −y·g
    }

    /** The same with log targets: a log-target of −∞ (probability 0) contributes 0 and no gradient, not NaN. */
    @Test
    void klDivWithLogTargetsCountsAMinusInfinityTargetAsZero() {
        Tensor x = Tensor.of(new float[] {-1f, -INF, -0.5f}, 3).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {-INF, -INF, (float) Math.log(0.6)}, 3).requiresGrad(true);
        Tensor loss = Functional.klDiv(x, y, Reduction.SUM, true);
        assertEquals(0.6 * (Math.log(0.6) + 0.5), loss.item(), 1e-6);
        loss.backward();
        assertArrays(new double[] {0, 0, -0.6}, x.grad().data(), 1e-7);
        // dy = e^y·(y − x + 1), whose limit as y → −∞ is 0
        assertArrays(new double[] {0, 0, 0.6 * (Math.log(0.6) + 0.5 + 1)}, y.grad().data(), 1e-6);
    }

    /**
     * KL's gradient with respect to a zero target: PyTorch gives NaN (xlogy's derivative 0/0); Nabla the
     * one-sided limit of {@code log y + 1 − x}, which is −∞ (times the upstream gradient).
     */
    @Test
    void klDivTargetGradientAtAZeroTargetIsMinusInfinity() {
        Tensor x = Tensor.of(new float[] {-1f, -2f}, 2);
        Tensor y = Tensor.of(new float[] {0f, 0.5f}, 2).requiresGrad(true);
        Functional.klDiv(x, y, Reduction.SUM, false).backward();
        assertEquals(-INF, y.grad().data()[0]);
        assertEquals(Math.log(0.5) + 1 + 2, y.grad().data()[1], 1e-6);
    }

    /**
     * BCE's gradient with respect to the target at inputs 0 and 1: PyTorch gives ±∞ (the unclamped
     * {@code −logit(x)}); Nabla gives ±100, the derivative of the loss both compute, whose logs are clamped at −100.
     */
    @Test
    void bceTargetGradientAtInputsZeroAndOneIsTheDerivativeOfTheClampedLoss() {
        Tensor x = Tensor.of(new float[] {0f, 1f, 0f, 1f, 0.25f}, 5);
        Tensor y = Tensor.of(new float[] {0f, 1f, 1f, 0f, 0.5f}, 5).requiresGrad(true);
        Tensor loss = Functional.binaryCrossEntropy(x, y, null, Reduction.NONE);
        assertArrays(new double[] {0, 0, 100, 100, -0.5 * Math.log(0.25) - 0.5 * Math.log(0.75)}, loss.data(), 1e-5);
        loss.backward(Tensor.ones(5));
        // dL/dy = max(log(1 − x), −100) − max(log x, −100)
        assertArrays(new double[] {100, -100, 100, -100, Math.log(0.75) - Math.log(0.25)}, y.grad().data(), 1e-5);
    }

    // --- extremes where Nabla follows PyTorch -------------------------------------------------------------------

    /**
     * A row of logits that are all −∞ has no distribution: softmax is 0/0 there. Nabla, like PyTorch, gives NaN
     * for that row's probabilities, its loss and its gradient; the other rows are unaffected. (No error is raised:
     * an all-masked row is a caller's bug, and the NaN marks exactly where it is.)
     */
    @Test
    void aRowOfMinusInfinityGivesNaNInThatRowOnly() {
        Tensor z = Tensor.of(new float[][] {{0.5f, -1f, 2f}, {-INF, -INF, -INF}, {1f, 1f, -2f}}).requiresGrad(true);
        float[] p = Functional.softmax(z).data();
        for (int c = 0; c < 3; c++) {
            assertTrue(Float.isNaN(p[3 + c]));
            assertTrue(Float.isFinite(p[c]) && Float.isFinite(p[6 + c]));
        }
        Tensor perRow = Functional.crossEntropy(z, new int[] {2, 1, 0}, null, Functional.DEFAULT_IGNORE_INDEX, 0f,
                Reduction.NONE);
        assertTrue(Float.isFinite(perRow.data()[0]) && Float.isNaN(perRow.data()[1]) && Float.isFinite(perRow.data()[2]));
        Tensor mean = Functional.crossEntropy(z, new int[] {2, 1, 0});
        assertTrue(Float.isNaN(mean.item()));
        mean.backward();
        float[] g = z.grad().data();
        for (int c = 0; c < 3; c++) {
            assertTrue(Float.isNaN(g[3 + c]));
            assertTrue(Float.isFinite(g[c]) && Float.isFinite(g[6 + c]));
        }
    }

    /** With every target ignored the mean is 0/0: NaN, as in PyTorch, while the gradient is 0 everywhere. */
    @Test
    void everyTargetIgnoredGivesANaNMeanAndAZeroGradient() {
        Tensor z = Tensor.of(new float[][] {{0.5f, -1f}, {2f, 0f}}).requiresGrad(true);
        Tensor loss = Functional.crossEntropy(z, new int[] {-100, -100}, null, -100, 0.1f, Reduction.MEAN);
        assertTrue(Float.isNaN(loss.item()));
        loss.backward();
        assertArrays(new double[] {0, 0, 0, 0}, z.grad().data(), 0);
    }

    /** Logits of ±1e4: log-softmax subtracts the maximum first, so nothing overflows and the loss is exact. */
    @Test
    void hugeLogitsGiveExactFiniteLosses() {
        Tensor z = Tensor.of(new float[][] {{1e4f, -1e4f, 1e4f - 2f}}).requiresGrad(true);
        Tensor loss = Functional.crossEntropy(z, new int[] {1});
        assertEquals(2e4 + Math.log1p(Math.exp(-2)), loss.item(), 2e4 * 1e-7);
        loss.backward();
        double p0 = 1 / (1 + Math.exp(-2));
        assertArrays(new double[] {p0, -1, 1 - p0}, z.grad().data(), 1e-6);
        Tensor bce = Functional.binaryCrossEntropyWithLogits(Tensor.of(new float[] {1e4f, -1e4f}, 2),
                Tensor.of(new float[] {0f, 0f}, 2), null, null, Reduction.NONE);
        assertArrays(new double[] {1e4, 0}, bce.data(), 0);
    }

    private static double[] softmax(double... x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - m);
        }
        double[] p = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            p[i] = Math.exp(x[i] - m) / s;
        }
        return p;
    }

    private static void assertArrays(double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol, "entry " + i);
        }
    }
}
