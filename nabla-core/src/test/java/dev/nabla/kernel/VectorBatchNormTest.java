package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Vector API path of the {@code [N, C]} batch-norm passes against their plain-loop twins, bit for bit, for odd
 * channel counts (whole blocks, a scalar tail, or nothing but a tail) and channel ranges that start and end off a
 * block boundary.
 */
class VectorBatchNormTest {
    private static final int[] CHANNELS = {1, 7, 16, 17, 33, 129};
    private static final int[] ROWS = {1, 3, 17, 128};

    @Test
    void theVectorPathRunsInTheseTests() {
        assertTrue(Simd.VECTORIZED, "the build runs tests with the Vector API module");
    }

    @Test
    void everyPassGivesTheScalarLoopsBits() {
        for (int n : ROWS) {
            for (int c : CHANNELS) {
                check(n, c, 0, c);
                if (c > 5) {
                    check(n, c, 3, c - 2);
                }
            }
        }
    }

    private static void check(int n, int c, int from, int to) {
        String what = "[N, C] = [" + n + ", " + c + "], channels [" + from + ", " + to + ")";
        Random random = new Random(31L * n + c);
        float[] x = new float[n * c];
        float[] dy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 * random.nextGaussian() + 2);
            dy[i] = (float) random.nextGaussian();
        }
        float[] gamma = new float[c];
        float[] beta = new float[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = (float) (1 + random.nextGaussian());
            beta[ch] = (float) random.nextGaussian();
        }

        float[] mean = new float[c];
        float[] var = new float[c];
        BatchNormKernels.meanVar(x, n, c, 1, from, to, mean, var);
        float[] scalarMean = new float[c];
        float[] scalarVar = new float[c];
        BatchNormKernels.scalarMeanVar(x, n, c, 1, from, to, scalarMean, scalarVar);
        assertArrayEquals(scalarMean, mean, 0f, "mean, " + what);
        assertArrayEquals(scalarVar, var, 0f, "variance, " + what);

        float[] invStd = new float[c];
        BatchNormKernels.invStd(var, 1e-5, invStd);
        float[] y = new float[x.length];
        BatchNormKernels.normalize(x, n, c, 1, from, to, mean, invStd, gamma, beta, y);
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = from; ch < to; ch++) {
            scale[ch] = invStd[ch] * gamma[ch];
            shift[ch] = beta[ch];
        }
        float[] scalarY = new float[x.length];
        BatchNormKernels.scalarNormalize(x, n, c, 1, from, to, mean, scale, shift, false, scalarY);
        assertArrayEquals(scalarY, y, 0f, "y, " + what);

        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        BatchNormKernels.gradSums(x, dy, n, c, 1, from, to, mean, invStd, sumDy, sumDyXhat);
        double[] scalarSumDy = new double[c];
        double[] scalarSumDyXhat = new double[c];
        BatchNormKernels.scalarGradSums(x, dy, n, c, 1, from, to, mean, invStd, scalarSumDy, scalarSumDyXhat);
        assertArrayEquals(scalarSumDy, sumDy, 0, "Σ dy, " + what);
        assertArrayEquals(scalarSumDyXhat, sumDyXhat, 0, "Σ dy·x̂, " + what);

        float[] dx = new float[x.length];
        BatchNormKernels.inputGradBatchStats(x, dy, n, c, 1, from, to, mean, invStd, gamma, sumDy, sumDyXhat, dx);
        float[] meanDy = new float[c];
        float[] meanDyXhat = new float[c];
        for (int ch = from; ch < to; ch++) {
            meanDy[ch] = (float) (sumDy[ch] / n);
            meanDyXhat[ch] = (float) (sumDyXhat[ch] / n);
        }
        float[] scalarDx = new float[x.length];
        BatchNormKernels.scalarInputGrad(x, dy, n, c, 1, from, to, mean, invStd, scale, meanDy, meanDyXhat, scalarDx);
        assertArrayEquals(scalarDx, dx, 0f, "dx, " + what);
    }
}
