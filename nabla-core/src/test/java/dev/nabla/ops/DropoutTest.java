package dev.nabla.ops;

import static dev.nabla.ops.Functional.dropout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.GradCheck;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Dropout draws its mask from Nabla's generator, not PyTorch's, so instead of a fixture it is tested by what
 * defines it: the drop fraction, the 1/(1 − p) scale, the identity in evaluation, and dx = g · mask.
 */
class DropoutTest {
    private static final float P = 0.3f;

    @Test
    void dropsAFractionPAndScalesSurvivorsByOneOverOneMinusP() {
        Tensor x = Tensor.randn(new Rng(1), 400, 250);   // 100 000 values
        Tensor y = dropout(x, P, true, new Rng(2));
        float scale = 1f / (1f - P);
        int dropped = 0;
        for (int i = 0; i < x.size(); i++) {
            float v = y.data()[i];
            if (v == 0f) {
                dropped++;
            } else {
                assertEquals(x.data()[i] * scale, v, 1e-6f * Math.abs(v), "survivor " + i + " is not scaled by 1/(1-p)");
            }
        }
        // binomial: standard deviation sqrt(p(1-p)/n) = 0.0014; allow 5 of them
        assertEquals(P, dropped / (double) x.size(), 0.007);
    }

    @Test
    void keepsTheExpectedValue() {
        Tensor x = Tensor.full(2f, 100_000);
        Tensor y = dropout(x, 0.5f, true, new Rng(3));
        assertEquals(2.0, dev.nabla.kernel.Elementwise.sum(y.data()) / y.size(), 0.02);
    }

    @Test
    void isTheIdentityInEvaluationAndForPZero() {
        Tensor x = Tensor.randn(new Rng(4), 3, 5).requiresGrad(true);
        assertSame(x, dropout(x, P, false, new Rng(5)));
        assertSame(x, dropout(x, 0f, true, new Rng(5)));
    }

    @Test
    void dropsEverythingForPOne() {
        Tensor x = Tensor.randn(new Rng(6), 4, 4).requiresGrad(true);
        Tensor y = dropout(x, 1f, true, new Rng(7));
        assertArrayEquals(new float[16], y.data(), 0f);   // delta 0 lets -0 (from negative x) equal 0
        y.backward(Tensor.ones(4, 4));
        assertArrayEquals(new float[16], x.grad().data(), 0f);
    }

    @Test
    void gradientIsUpstreamTimesMask() {
        Tensor x = Tensor.randn(new Rng(8), 20, 30).requiresGrad(true);
        Tensor y = dropout(x, P, true, new Rng(9));
        Tensor g = Tensor.randn(new Rng(10), 20, 30);
        y.backward(g);
        for (int i = 0; i < x.size(); i++) {
            float mask = y.data()[i] == 0f ? 0f : 1f / (1f - P);
            assertEquals(g.data()[i] * mask, x.grad().data()[i], 1e-6f, "entry " + i);
        }
    }

    @Test
    void sameSeedSameMaskOtherSeedOtherMask() {
        Tensor x = Tensor.ones(50, 40);
        assertArrayEquals(dropout(x, P, true, new Rng(11)).data(), dropout(x, P, true, new Rng(11)).data());
        assertFalse(java.util.Arrays.equals(dropout(x, P, true, new Rng(11)).data(),
                dropout(x, P, true, new Rng(12)).data()));
    }

    @Test
    void passesGradCheckWithTheGeneratorRecreatedPerEvaluation() {
        Tensor x = Tensor.randn(new Rng(13), 6, 7);
        GradCheck.Result r = GradCheck.check(in -> dropout(in[0], P, true, new Rng(14)), x);
        assertTrue(r.passed(), r::toString);
        Rng shared = new Rng(14);   // a generator shared between evaluations draws a new mask each time
        assertThrows(IllegalArgumentException.class, () -> GradCheck.check(in -> dropout(in[0], P, true, shared), x));
    }

    @Test
    void rejectsAProbabilityOutsideZeroOne() {
        Tensor x = Tensor.ones(2);
        for (float p : new float[] {-0.1f, 1.5f, Float.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dropout(x, p, true, new Rng(1)));
            assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
        }
    }
}
