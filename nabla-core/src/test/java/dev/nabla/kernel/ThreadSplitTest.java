package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The memory-bound kernels split their arrays over the {@link Parallel} threads; every output must have the same
 * bits for 1, 2 and 3 threads. The shape, 257 × 1031, is large enough to be split and cuts vectors at odd places.
 */
@ExtendWith(RestoreThreads.class)
class ThreadSplitTest {
    private static final int N = 257;
    private static final int C = 1031;

    /** Every kernel's outputs, in a fixed order, computed on {@code threads} threads. */
    private static List<float[]> outputs(int threads) {
        Parallel.setThreads(threads);
        Rng rng = new Rng(7);
        float[] x = gaussian(rng, N * C);
        float[] dy = gaussian(rng, N * C);
        float[] row = gaussian(rng, C);
        List<float[]> out = new ArrayList<>();
        float[] y = new float[N * C];
        Elementwise.relu(x, y);
        out.add(y.clone());
        Elementwise.reluBackward(x, dy, y);
        out.add(y.clone());
        Elementwise.sigmoid(x, y);
        out.add(y.clone());
        Elementwise.sigmoidBackward(out.get(2), dy, y);
        out.add(y.clone());
        Elementwise.tanh(x, y);
        out.add(y.clone());
        Elementwise.tanhBackward(out.get(4), dy, y);
        out.add(y.clone());
        Elementwise.addBroadcast(x, row, 0.5f, y);
        out.add(y.clone());
        float[] sums = row.clone();
        Elementwise.sumRows(x, sums, false);
        out.add(sums);

        float[] mean = new float[C];
        float[] var = new float[C];
        BatchNormKernels.meanVar(x, N, C, 1, mean, var);
        float[] invStd = new float[C];
        BatchNormKernels.invStd(var, 1e-5, invStd);
        BatchNormKernels.normalize(x, N, C, 1, mean, invStd, row, row, y);
        out.add(mean);
        out.add(var);
        out.add(y.clone());
        double[] sumDy = new double[C];
        double[] sumDyXhat = new double[C];
        BatchNormKernels.gradSums(x, dy, N, C, 1, mean, invStd, sumDy, sumDyXhat);
        BatchNormKernels.inputGradBatchStats(x, dy, N, C, 1, mean, invStd, row, sumDy, sumDyXhat, y);
        out.add(toFloat(sumDy));
        out.add(toFloat(sumDyXhat));
        out.add(y.clone());
        return out;
    }

    @Test
    void everyKernelGivesTheSameBitsOnAnyNumberOfThreads() {
        List<float[]> one = outputs(1);
        for (int threads : new int[] {2, 3}) {
            List<float[]> many = outputs(threads);
            for (int k = 0; k < one.size(); k++) {
                assertArrayEquals(one.get(k), many.get(k), "output " + k + " on " + threads + " threads");
            }
        }
        assertTrue(2L * N * C >= Parallel.MIN_WORK, "the arrays must be large enough to be split");
    }

    private static float[] gaussian(Rng rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rng.nextGaussian();
        }
        return x;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
