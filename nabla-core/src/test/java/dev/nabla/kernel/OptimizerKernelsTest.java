package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nabla.tensor.Rng;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link OptimizerKernels} (vector loops, scalar tails, split over threads) against the update rules written out
 * one element at a time: the same bits for every size and thread count. The rules themselves are pinned against
 * PyTorch in {@code dev.nabla.optim}.
 */
@ExtendWith(RestoreThreads.class)
class OptimizerKernelsTest {
    private static final int[] SIZES = {1, 7, 16, 17, 33, 129, 4099, 100_003};

    static Stream<Arguments> sgdCases() {
        return Stream.of(1, 2, 3).flatMap(threads -> Stream.of(
                Arguments.of(threads, 0f, 0f, 1f, false, false),     // plain
                Arguments.of(threads, 0.01f, 0f, 1f, false, false),  // weight decay
                Arguments.of(threads, 0f, 0.9f, 1f, false, true),    // momentum, first step
                Arguments.of(threads, 0f, 0.9f, 0.7f, false, false), // momentum with dampening
                Arguments.of(threads, 0.01f, 0.9f, 1f, true, false)));  // Nesterov with decay
    }

    @ParameterizedTest
    @MethodSource("sgdCases")
    void sgdGivesTheBitsOfTheRuleElementByElement(int threads, float decay, float momentum, float dampen,
                                                  boolean nesterov, boolean first) {
        Parallel.setThreads(threads);
        float negLr = -0.1f;
        for (int n : SIZES) {
            Rng rng = new Rng(n);
            float[] p = random(rng, n);
            float[] g = random(rng, n);
            float[] buf = momentum == 0f ? null : random(rng, n);
            float[] expectedP = p.clone();
            float[] expectedBuf = buf == null ? null : buf.clone();
            for (int i = 0; i < n; i++) {
                float gi = decay != 0f ? Math.fma(decay, expectedP[i], g[i]) : g[i];
                if (expectedBuf != null) {
                    float b = first ? gi : Math.fma(dampen, gi, expectedBuf[i] * momentum);
                    expectedBuf[i] = b;
                    gi = nesterov ? Math.fma(momentum, b, gi) : b;
                }
                expectedP[i] = Math.fma(negLr, gi, expectedP[i]);
            }
            OptimizerKernels.sgd(p, g, buf, first, negLr, decay, momentum, dampen, nesterov);
            assertArrayEquals(expectedP, p, "parameter, n=" + n);
            if (buf != null) {
                assertArrayEquals(expectedBuf, buf, "momentum buffer, n=" + n);
            }
        }
    }

    static Stream<Arguments> adamCases() {
        return Stream.of(1, 2, 3).flatMap(threads -> Stream.of(
                Arguments.of(threads, 1f, 0f, false),        // Adam
                Arguments.of(threads, 1f, 0.01f, true),      // Adam with L2 decay and AMSGrad
                Arguments.of(threads, 0.999f, 0f, false)));  // AdamW's decoupled decay
    }

    @ParameterizedTest
    @MethodSource("adamCases")
    void adamGivesTheBitsOfTheRuleElementByElement(int threads, float shrink, float l2, boolean amsgrad) {
        Parallel.setThreads(threads);
        var s = new OptimizerKernels.AdamStep(shrink, l2, 0.9f, (float) (1 - 0.9), 0.999f, (float) (1 - 0.999),
                -0.01f / 0.19f, (float) Math.sqrt(1 - 0.999 * 0.999), 1e-8f);
        for (int n : SIZES) {
            Rng rng = new Rng(n);
            float[] p = random(rng, n);
            float[] g = random(rng, n);
            float[] m = random(rng, n);
            float[] v = squares(random(rng, n));
            float[] vMax = amsgrad ? squares(random(rng, n)) : null;
            float[] eP = p.clone();
            float[] eM = m.clone();
            float[] eV = v.clone();
            float[] eVMax = vMax == null ? null : vMax.clone();
            for (int i = 0; i < n; i++) {
                float theta = eP[i] * shrink;
                float gi = l2 != 0f ? Math.fma(l2, theta, g[i]) : g[i];
                eM[i] = Math.fma(s.oneMinusBeta1(), gi, eM[i] * s.beta1());
                eV[i] = Math.fma(s.oneMinusBeta2() * gi, gi, eV[i] * s.beta2());
                float vHat = eV[i];
                if (eVMax != null) {
                    vHat = Math.max(eVMax[i], vHat);
                    eVMax[i] = vHat;
                }
                eP[i] = theta + s.negStep() * eM[i] / ((float) Math.sqrt(vHat) / s.bc2Sqrt() + s.eps());
            }
            OptimizerKernels.adam(p, g, m, v, vMax, s);
            assertArrayEquals(eM, m, "first moment, n=" + n);
            assertArrayEquals(eV, v, "second moment, n=" + n);
            if (vMax != null) {
                assertArrayEquals(eVMax, vMax, "running maximum, n=" + n);
            }
            assertArrayEquals(eP, p, "parameter, n=" + n);
        }
    }

    private static float[] random(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }

    private static float[] squares(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= x[i];
        }
        return x;
    }
}
