package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The step kernels of the recurrent layers: the Vector API twin gives the plain loops' bits, the steps compute the
 * formulas (checked in double), and the split over threads changes no bit.
 */
@ExtendWith(RestoreThreads.class)
class RecurrentKernelsTest {
    private static final int ROWS = 5;
    /** A multiple of every vector length (8 floats with AVX2, 16 with AVX-512), so the vector path runs. */
    private static final int H = 32;

    private static float[] gaussian(Rng rng, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = scale * rng.nextGaussian();
        }
        return a;
    }

    @Test
    void theVectorTwinGivesThePlainLoopsBits() {
        assertTrue(Simd.VECTORIZED && VectorRecurrentKernels.fits(H), "the tests run with the Vector API module");
        Rng rng = new Rng(1);
        int off = 3;   // the gates of the step start inside the array, as step t of a sequence does
        float[] pre = gaussian(rng, off + ROWS * 4 * H, 2f);
        float[] hw = gaussian(rng, ROWS * 4 * H, 2f);
        float[] c = gaussian(rng, ROWS * H, 1f);
        float[] hPrev = gaussian(rng, off + ROWS * H, 1f);
        float[] dh = gaussian(rng, ROWS * H, 1f);
        float[] bhn = gaussian(rng, H, 1f);

        // LSTM forward and backward
        float[][] v = {pre.clone(), c.clone(), new float[off + ROWS * H], new float[ROWS * H]};
        float[][] s = {pre.clone(), c.clone(), new float[off + ROWS * H], new float[ROWS * H]};
        VectorRecurrentKernels.activateGates(v[0], off, hw, 4 * H, 4 * H, 2 * H, 3 * H, 0, ROWS);
        VectorRecurrentKernels.lstmCell(v[0], off, v[1], v[2], off, v[3], H, 0, ROWS);
        RecurrentKernels.lstmForwardRows(s[0], off, hw, s[1], s[2], off, s[3], H, 0, ROWS);
        assertSame(s, v, "LSTM forward");
        float[][] vb = {new float[ROWS * 4 * H], c.clone()};
        float[][] sb = {new float[ROWS * 4 * H], c.clone()};
        VectorRecurrentKernels.lstmBackward(v[0], off, v[2], off, hPrev, off, dh, vb[1], vb[0], H, 0, ROWS);
        RecurrentKernels.lstmBackwardRows(s[0], off, s[2], off, hPrev, off, dh, sb[1], sb[0], H, 0, ROWS);
        assertSame(sb, vb, "LSTM backward");

        // GRU forward and backward, with and without b_hn
        for (float[] bias : new float[][] {bhn, null}) {
            float[][] gv = {pre.clone(), new float[off + ROWS * H], hPrev.clone()};
            float[][] gs = {pre.clone(), new float[off + ROWS * H], hPrev.clone()};
            float[] hwGru = java.util.Arrays.copyOf(hw, ROWS * 3 * H);
            VectorRecurrentKernels.activateGates(gv[0], off, hwGru, 3 * H, 2 * H, 0, 0, 0, ROWS);
            VectorRecurrentKernels.gruState(gv[0], off, hwGru, bias, gv[1], off, gv[2], H, 0, ROWS);
            RecurrentKernels.gruForwardRows(gs[0], off, hwGru, bias, gs[1], off, gs[2], H, 0, ROWS);
            assertSame(gs, gv, "GRU forward");
            float[][] gvb = {new float[off + ROWS * 3 * H], new float[ROWS * 3 * H], new float[ROWS * H]};
            float[][] gsb = {new float[off + ROWS * 3 * H], new float[ROWS * 3 * H], new float[ROWS * H]};
            VectorRecurrentKernels.gruBackward(gv[0], off, gv[1], off, hPrev, off, dh, gvb[0], off, gvb[1], gvb[2], H,
                    0, ROWS);
            RecurrentKernels.gruBackwardRows(gs[0], off, gs[1], off, hPrev, off, dh, gsb[0], off, gsb[1], gsb[2], H, 0,
                    ROWS);
            assertSame(gsb, gvb, "GRU backward");
        }

        // RNN forward and backward, tanh and relu
        for (boolean relu : new boolean[] {false, true}) {
            float[][] rv = {pre.clone(), new float[ROWS * H]};
            float[][] rs = {pre.clone(), new float[ROWS * H]};
            assertEquals(ROWS * H, VectorRecurrentKernels.rnnForward(rv[0], off, hw, relu, rv[1], 0, ROWS * H));
            RecurrentKernels.rnnForwardValues(rs[0], off, hw, relu, rs[1], 0, ROWS * H);
            assertSame(rs, rv, "RNN forward");
            float[] dv = new float[ROWS * H];
            float[] ds = new float[ROWS * H];
            VectorRecurrentKernels.rnnBackward(rv[0], off, dh, relu, dv, ROWS * H);
            RecurrentKernels.rnnBackwardValues(rs[0], off, dh, relu, ds, 0, ROWS * H);
            assertArrayEquals(ds, dv, "RNN backward");
        }
    }

    private static void assertSame(float[][] expected, float[][] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], what + ": output " + i);
        }
    }

    @ParameterizedTest(name = "H = {0}")
    @ValueSource(ints = {H, 5})
    void theLstmStepComputesItsFormula(int hidden) {
        Rng rng = new Rng(2);
        float[] pre = gaussian(rng, ROWS * 4 * hidden, 2f);
        float[] hw = gaussian(rng, ROWS * 4 * hidden, 2f);
        float[] c = gaussian(rng, ROWS * hidden, 1f);
        float[] gates = pre.clone();
        float[] cNew = c.clone();
        float[] tanhC = new float[ROWS * hidden];
        float[] h = new float[ROWS * hidden];
        RecurrentKernels.lstmForward(gates, 0, hw, cNew, tanhC, 0, h, ROWS, hidden);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < hidden; j++) {
                int g = r * 4 * hidden + j;
                double i = sigmoid(pre[g] + (double) hw[g]);
                double f = sigmoid(pre[g + hidden] + (double) hw[g + hidden]);
                double gg = Math.tanh(pre[g + 2 * hidden] + (double) hw[g + 2 * hidden]);
                double o = sigmoid(pre[g + 3 * hidden] + (double) hw[g + 3 * hidden]);
                double cj = f * c[r * hidden + j] + i * gg;
                assertClose(i, gates[g], "i");
                assertClose(gg, gates[g + 2 * hidden], "g");
                assertClose(cj, cNew[r * hidden + j], "c");
                assertClose(o * Math.tanh(cj), h[r * hidden + j], "h");
            }
        }
    }

    @ParameterizedTest(name = "H = {0}")
    @ValueSource(ints = {H, 5})
    void theGruStepComputesItsFormula(int hidden) {
        Rng rng = new Rng(3);
        float[] pre = gaussian(rng, ROWS * 3 * hidden, 2f);
        float[] hw = gaussian(rng, ROWS * 3 * hidden, 2f);
        float[] bhn = gaussian(rng, hidden, 1f);
        float[] hPrev = gaussian(rng, ROWS * hidden, 1f);
        float[] gates = pre.clone();
        float[] hn = new float[ROWS * hidden];
        float[] h = hPrev.clone();
        RecurrentKernels.gruForward(gates, 0, hw, bhn, hn, 0, h, ROWS, hidden);
        for (int r = 0; r < ROWS; r++) {
            for (int j = 0; j < hidden; j++) {
                int g = r * 3 * hidden + j;
                double rr = sigmoid(pre[g] + (double) hw[g]);
                double z = sigmoid(pre[g + hidden] + (double) hw[g + hidden]);
                double n = Math.tanh(pre[g + 2 * hidden] + rr * (hw[g + 2 * hidden] + (double) bhn[j]));
                assertClose((1 - z) * n + z * hPrev[r * hidden + j], h[r * hidden + j], "h");
            }
        }
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static void assertClose(double expected, float actual, String what) {
        assertEquals(expected, actual, 2e-6 + 2e-6 * Math.abs(expected), what);
    }

    /** Every output of an LSTM, a GRU and an RNN step, forward and backward, on {@code threads} threads. */
    private static List<float[]> outputs(int threads, int rows, int hidden) {
        Parallel.setThreads(threads);
        Rng rng = new Rng(4);
        float[] hw = gaussian(rng, rows * 4 * hidden, 1f);
        float[] dh = gaussian(rng, rows * hidden, 1f);
        List<float[]> out = new ArrayList<>();
        float[] pre = gaussian(rng, rows * 4 * hidden, 1f);
        float[] c = gaussian(rng, rows * hidden, 1f);
        float[] tanhC = new float[rows * hidden];
        float[] h = new float[rows * hidden];
        float[] cPrev = c.clone();
        RecurrentKernels.lstmForward(pre, 0, hw, c, tanhC, 0, h, rows, hidden);
        float[] da = new float[rows * 4 * hidden];
        float[] dc = dh.clone();
        RecurrentKernels.lstmBackward(pre, 0, tanhC, 0, cPrev, 0, dh, dc, da, rows, hidden);
        out.addAll(List.of(pre, c, tanhC, h, da, dc));
        float[] gru = gaussian(rng, rows * 3 * hidden, 1f);
        float[] hn = new float[rows * hidden];
        float[] hg = gaussian(rng, rows * hidden, 1f);
        float[] hgPrev = hg.clone();
        RecurrentKernels.gruForward(gru, 0, hw, gaussian(rng, hidden, 1f), hn, 0, hg, rows, hidden);
        float[] dgi = new float[rows * 3 * hidden];
        float[] dgh = new float[rows * 3 * hidden];
        float[] direct = new float[rows * hidden];
        RecurrentKernels.gruBackward(gru, 0, hn, 0, hgPrev, 0, dh, dgi, 0, dgh, direct, rows, hidden);
        out.addAll(List.of(gru, hn, hg, dgi, dgh, direct));
        float[] rnn = gaussian(rng, rows * hidden, 1f);
        float[] hr = new float[rows * hidden];
        RecurrentKernels.rnnForward(rnn, 0, hw, false, hr, rows, hidden);
        out.addAll(List.of(rnn, hr));
        return out;
    }

    @Test
    void theSplitOverThreadsChangesNoBit() {
        // 64 rows of 128 units: the classifier workload's step, large enough to be split
        List<float[]> one = outputs(1, 64, 128);
        List<float[]> two = outputs(2, 64, 128);
        List<float[]> three = outputs(3, 64, 128);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), two.get(i), "output " + i + " on 2 threads");
            assertArrayEquals(one.get(i), three.get(i), "output " + i + " on 3 threads");
        }
    }
}
