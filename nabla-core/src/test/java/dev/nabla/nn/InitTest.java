package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

class InitTest {
    private static double std(Tensor t) {
        double sum = 0;
        double sq = 0;
        for (float v : t.data()) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / t.size();
        return Math.sqrt(sq / t.size() - mean * mean);
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void gainsAreThoseOfPyTorch() {
        assertEquals(1.0, Init.gain("sigmoid", 0));
        assertEquals(5.0 / 3, Init.gain("tanh", 0));
        assertEquals(Math.sqrt(2), Init.gain("relu", 0));
        assertEquals(Math.sqrt(2 / 1.0001), Init.gain("leaky_relu", 0.01), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Init.gain("swish", 0));
    }

    @Test
    void kaimingNormalHasStdGainOverSqrtFanIn() {
        Tensor w = Tensor.zeros(400, 500);
        Init.kaimingNormal(w, 0, Init.Mode.FAN_IN, "relu", new Rng(1));
        assertEquals(Math.sqrt(2.0 / 500), std(w), 0.01 * Math.sqrt(2.0 / 500));
    }

    @Test
    void kaimingUniformFanOutBoundsAtSqrtThreeStd() {
        Tensor w = Tensor.zeros(400, 500);
        Init.kaimingUniform(w, 0, Init.Mode.FAN_OUT, "relu", new Rng(1));
        double bound = Math.sqrt(3) * Math.sqrt(2.0 / 400);
        assertTrue(maxAbs(w) <= bound && maxAbs(w) > 0.99 * bound);
    }

    @Test
    void xavierUniformBoundsAtSqrtSixOverFanSum() {
        Tensor w = Tensor.zeros(300, 100);
        Init.xavierUniform(w, 1.0, new Rng(1));
        double bound = Math.sqrt(6.0 / 400);
        assertTrue(maxAbs(w) <= bound && maxAbs(w) > 0.99 * bound);
        assertEquals(bound / Math.sqrt(3), std(w), 0.02 * bound);
    }

    @Test
    void xavierNormalHasStdSqrtTwoOverFanSum() {
        Tensor w = Tensor.zeros(300, 100);
        Init.xavierNormal(w, 2.0, new Rng(1));
        assertEquals(2 * Math.sqrt(2.0 / 400), std(w), 0.02 * 2 * Math.sqrt(2.0 / 400));
    }

    @Test
    void normalHasTheGivenMeanAndStd() {
        Tensor w = Tensor.zeros(200, 200);
        Init.normal(w, 3, 0.5, new Rng(4));
        assertEquals(0.5, std(w), 0.01);
        assertEquals(3.0, dev.nabla.kernel.Elementwise.sum(w.data()) / w.size(), 0.01);
    }

    @Test
    void fansOfAHigherRankWeightIncludeTheReceptiveField() {
        Tensor conv = Tensor.zeros(16, 3, 5, 5);
        assertEquals(75, Init.fanIn(conv));
        assertEquals(400, Init.fanOut(conv));
        assertThrows(IllegalArgumentException.class, () -> Init.fanIn(Tensor.zeros(5)));
    }

    @Test
    void sameSeedSameWeights() {
        Init.manualSeed(42);
        Linear a = new Linear(10, 10);
        Init.manualSeed(42);
        Linear b = new Linear(10, 10);
        assertEquals(java.util.Arrays.toString(a.weight().data()), java.util.Arrays.toString(b.weight().data()));
    }
}
