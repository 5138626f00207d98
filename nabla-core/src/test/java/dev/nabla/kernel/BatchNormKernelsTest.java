package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The batch-norm loops (with their own path for S = 1) against a naive reference that gathers each channel's values
 * and applies the formulas of the javadoc one channel at a time, in double.
 */
class BatchNormKernelsTest {
    @ParameterizedTest(name = "[N, C, S] = [{0}, {1}, {2}]")
    @CsvSource({"7, 5, 1", "3, 4, 6", "1, 3, 2", "2, 1, 9"})
    void loopsAgreeWithTheFormulasChannelByChannel(int n, int c, int s) {
        Random random = new Random(n * 100 + c * 10 + s);
        float[] x = new float[n * c * s];
        float[] dy = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (3 * random.nextGaussian() + 1);
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
        float[] invStd = new float[c];
        BatchNormKernels.meanVar(x, n, c, s, mean, var);
        BatchNormKernels.invStd(var, 1e-5, invStd);
        float[] y = new float[x.length];
        BatchNormKernels.normalize(x, n, c, s, mean, invStd, gamma, beta, y);
        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        BatchNormKernels.gradSums(x, dy, n, c, s, mean, invStd, sumDy, sumDyXhat);
        float[] dx = new float[x.length];
        BatchNormKernels.inputGradBatchStats(x, dy, n, c, s, mean, invStd, gamma, sumDy, sumDyXhat, dx);

        int m = n * s;
        for (int ch = 0; ch < c; ch++) {
            int[] at = new int[m];   // flat indices of channel ch
            for (int sample = 0, k = 0; sample < n; sample++) {
                for (int i = 0; i < s; i++) {
                    at[k++] = (sample * c + ch) * s + i;
                }
            }
            double mu = 0;
            for (int i : at) {
                mu += x[i];
            }
            mu /= m;
            double v = 0;
            for (int i : at) {
                v += (x[i] - mu) * (x[i] - mu);
            }
            v /= m;
            double sigma = Math.sqrt(v + 1e-5);
            assertEquals(mu, mean[ch], 1e-6 * (1 + Math.abs(mu)), "mean of channel " + ch);
            assertEquals(v, var[ch], 1e-6 * (1 + v), "variance of channel " + ch);
            double a = 0;
            double b = 0;
            for (int i : at) {
                double xhat = (x[i] - mu) / sigma;
                assertEquals(gamma[ch] * xhat + beta[ch], y[i], 1e-5, "y at " + i);
                a += dy[i];
                b += dy[i] * xhat;
            }
            assertEquals(a, sumDy[ch], 1e-5, "Σ dy of channel " + ch);
            assertEquals(b, sumDyXhat[ch], 1e-4, "Σ dy·x̂ of channel " + ch);
            for (int i : at) {
                double xhat = (x[i] - mu) / sigma;
                double expected = gamma[ch] / (m * sigma) * (m * dy[i] - a - xhat * b);
                assertEquals(expected, dx[i], 1e-5 * (1 + Math.abs(expected) * 10), "dx at " + i);
            }
        }
    }

    @ParameterizedTest(name = "[N, C, S] = [{0}, {1}, {2}]")
    @CsvSource({"7, 5, 1", "3, 4, 49", "2, 3, 17"})
    void normalizeReluGivesTheBitsOfNormalizeThenRelu(int n, int c, int s) {
        Random random = new Random(n * 100 + c * 10 + s);
        float[] x = new float[n * c * s];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        x[0] = Float.NaN;
        float[] mean = new float[c];
        float[] invStd = new float[c];
        float[] gamma = new float[c];
        float[] beta = new float[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = (float) random.nextGaussian();
            invStd[ch] = (float) (1 + random.nextDouble());
            gamma[ch] = (float) random.nextGaussian();
            beta[ch] = (float) random.nextGaussian();
        }
        float[] apart = new float[x.length];
        BatchNormKernels.normalize(x, n, c, s, mean, invStd, gamma, beta, apart);
        Elementwise.relu(apart, apart);
        float[] fused = new float[x.length];
        BatchNormKernels.normalizeRelu(x, n, c, s, mean, invStd, gamma, beta, fused);
        assertArrayEquals(apart, fused);
        BatchNormKernels.normalizeRelu(x, n, c, s, mean, invStd, null, null, fused);
        BatchNormKernels.normalize(x, n, c, s, mean, invStd, null, null, apart);
        Elementwise.relu(apart, apart);
        assertArrayEquals(apart, fused, "without gamma and beta");
    }
}
