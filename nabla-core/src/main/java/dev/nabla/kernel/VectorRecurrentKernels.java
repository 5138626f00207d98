package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link RecurrentKernels}, for H a multiple of the vector length: the same operations in the
 * same order as the plain loops there (sigmoid and tanh with the operations of {@link VectorElementwise#sigmoid} and
 * {@link VectorElementwise#tanh}), so every value gets the same bits either way. Each method does rows
 * {@code [from, to)} of one step; arguments as in {@link RecurrentKernels}.
 *
 * <p><b>Note:</b> each method holds at most one exponential (one {@link #activation}). C2 inlines into one compiled
 * method only up to a node budget, which two exponentials with their vector plumbing exceed; a vector passed to a
 * method it did not inline is boxed on the heap, and the loop ran 4× slower. So the LSTM and GRU steps are two
 * passes each (the gates, then the state), and no helper returns a vector except the forced-inline API's own.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorRecurrentKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private VectorRecurrentKernels() {
    }

    /** Whether rows of {@code hidden} units are whole vectors, which every method here needs. */
    static boolean fits(int hidden) {
        return hidden % S.length() == 0;
    }

    /**
     * Gate activations in place, over the first {@code count} values of rows {@code [from, to)} of {@code width}
     * values from {@code off} (hw's rows from 0): {@code a ← act(a + hw)} with act = tanh on the values
     * {@code [tanhFrom, tanhTo)} of each row, σ elsewhere. The LSTM's gates (tanh on g), the GRU's r and z.
     */
    static void activateGates(float[] a, int off, float[] hw, int width, int count, int tanhFrom, int tanhTo,
                              int from, int to) {
        for (int r = from; r < to; r++) {
            int g = off + r * width;
            int w = r * width;
            for (int j = 0; j < count; j += S.length()) {
                FloatVector v = FloatVector.fromArray(S, a, g + j).add(FloatVector.fromArray(S, hw, w + j));
                activation(v, j >= tanhFrom && j < tanhTo).intoArray(a, g + j);
            }
        }
    }

    /**
     * tanh(v) when {@code tanh}, else σ(v), with one exponential for either: the operations of
     * {@link VectorElementwise#tanh} and {@link VectorElementwise#sigmoid}, so their bits.
     */
    private static FloatVector activation(FloatVector v, boolean tanh) {
        FloatVector a = v.abs();
        FloatVector e = VectorSimd.expNonPositive(tanh ? a.mul(-2f) : a.neg());
        if (!tanh) {
            return ONE.blend(e, v.lt(0f)).div(e.add(1f));
        }
        FloatVector p = a.mul(a);
        FloatVector series = a.mul(p.mul(p.mul(p.mul(-17f / 315f).add(2f / 15f)).add(-1f / 3f)).add(1f));
        FloatVector t = ONE.sub(e).div(ONE.add(e)).blend(series, a.lt(Elementwise.TANH_SERIES_BELOW));
        return t.blend(t.neg(), v.lt(0f));
    }

    /** The LSTM's state from its activated gates: c ← f⊙c + i⊙g, tanhC = tanh(c), h = o⊙tanh(c). */
    static void lstmCell(float[] gates, int gatesOff, float[] c, float[] tanhC, int tanhOff, float[] h, int hidden,
                         int from, int to) {
        for (int r = from; r < to; r++) {
            int g = gatesOff + r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j += S.length()) {
                FloatVector i = FloatVector.fromArray(S, gates, g + j);
                FloatVector f = FloatVector.fromArray(S, gates, g + hidden + j);
                FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, gates, g + 3 * hidden + j);
                FloatVector cj = f.mul(FloatVector.fromArray(S, c, s + j)).add(i.mul(gg));
                cj.intoArray(c, s + j);
                FloatVector t = activation(cj, true);
                t.intoArray(tanhC, tanhOff + s + j);
                o.mul(t).intoArray(h, s + j);
            }
        }
    }

    /** {@link RecurrentKernels#lstmBackward} for rows [from, to). */
    static void lstmBackward(float[] gates, int gatesOff, float[] tanhC, int tanhOff, float[] cPrev, int cPrevOff,
                             float[] dh, float[] dc, float[] da, int hidden, int from, int to) {
        for (int r = from; r < to; r++) {
            int g = gatesOff + r * 4 * hidden;
            int a = r * 4 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j += S.length()) {
                FloatVector i = FloatVector.fromArray(S, gates, g + j);
                FloatVector f = FloatVector.fromArray(S, gates, g + hidden + j);
                FloatVector gg = FloatVector.fromArray(S, gates, g + 2 * hidden + j);
                FloatVector o = FloatVector.fromArray(S, gates, g + 3 * hidden + j);
                FloatVector t = FloatVector.fromArray(S, tanhC, tanhOff + s + j);
                FloatVector cp = FloatVector.fromArray(S, cPrev, cPrevOff + s + j);
                FloatVector dhj = FloatVector.fromArray(S, dh, s + j);
                FloatVector dct = FloatVector.fromArray(S, dc, s + j).add(dhj.mul(o).mul(ONE.sub(t.mul(t))));
                dct.mul(gg).mul(i).mul(ONE.sub(i)).intoArray(da, a + j);
                dct.mul(cp).mul(f).mul(ONE.sub(f)).intoArray(da, a + hidden + j);
                dct.mul(i).mul(ONE.sub(gg.mul(gg))).intoArray(da, a + 2 * hidden + j);
                dhj.mul(t).mul(o).mul(ONE.sub(o)).intoArray(da, a + 3 * hidden + j);
                dct.mul(f).intoArray(dc, s + j);
            }
        }
    }

    /**
     * The GRU's state from its activated r and z: hn = gh_n (+ b_hn), n = tanh(gi_n + r⊙hn), h ← n + z⊙(h − n).
     * Writes n over gi_n, hn and h.
     */
    static void gruState(float[] pre, int preOff, float[] hw, float[] bhn, float[] hn, int hnOff, float[] h,
                         int hidden, int from, int to) {
        for (int r = from; r < to; r++) {
            int g = preOff + r * 3 * hidden;
            int w = r * 3 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j += S.length()) {
                FloatVector rr = FloatVector.fromArray(S, pre, g + j);
                FloatVector z = FloatVector.fromArray(S, pre, g + hidden + j);
                FloatVector hnj = FloatVector.fromArray(S, hw, w + 2 * hidden + j);
                if (bhn != null) {
                    hnj = hnj.add(FloatVector.fromArray(S, bhn, j));
                }
                FloatVector n = activation(FloatVector.fromArray(S, pre, g + 2 * hidden + j).add(rr.mul(hnj)), true);
                n.intoArray(pre, g + 2 * hidden + j);
                hnj.intoArray(hn, hnOff + s + j);
                n.add(z.mul(FloatVector.fromArray(S, h, s + j).sub(n))).intoArray(h, s + j);
            }
        }
    }

    /** {@link RecurrentKernels#gruBackward} for rows [from, to). */
    static void gruBackward(float[] gates, int gatesOff, float[] hn, int hnOff, float[] hPrev, int hPrevOff,
                            float[] dh, float[] dgi, int dgiOff, float[] dgh, float[] dhDirect, int hidden,
                            int from, int to) {
        for (int r = from; r < to; r++) {
            int g = gatesOff + r * 3 * hidden;
            int di = dgiOff + r * 3 * hidden;
            int dg = r * 3 * hidden;
            int s = r * hidden;
            for (int j = 0; j < hidden; j += S.length()) {
                FloatVector rr = FloatVector.fromArray(S, gates, g + j);
                FloatVector z = FloatVector.fromArray(S, gates, g + hidden + j);
                FloatVector n = FloatVector.fromArray(S, gates, g + 2 * hidden + j);
                FloatVector hp = FloatVector.fromArray(S, hPrev, hPrevOff + s + j);
                FloatVector dhj = FloatVector.fromArray(S, dh, s + j);
                FloatVector dan = dhj.mul(ONE.sub(z)).mul(ONE.sub(n.mul(n)));
                FloatVector dar = dan.mul(FloatVector.fromArray(S, hn, hnOff + s + j)).mul(rr).mul(ONE.sub(rr));
                FloatVector daz = dhj.mul(hp.sub(n)).mul(z).mul(ONE.sub(z));
                dar.intoArray(dgi, di + j);
                daz.intoArray(dgi, di + hidden + j);
                dan.intoArray(dgi, di + 2 * hidden + j);
                dar.intoArray(dgh, dg + j);
                daz.intoArray(dgh, dg + hidden + j);
                dan.mul(rr).intoArray(dgh, dg + 2 * hidden + j);
                dhj.mul(z).intoArray(dhDirect, s + j);
            }
        }
    }

    /** {@link RecurrentKernels#rnnForward} over the whole vectors of the values [from, to) of the step. */
    static int rnnForward(float[] pre, int preOff, float[] hw, boolean relu, float[] h, int from, int to) {
        int bound = from + S.loopBound(to - from);
        for (int i = from; i < bound; i += S.length()) {
            FloatVector a = FloatVector.fromArray(S, pre, preOff + i).add(FloatVector.fromArray(S, hw, i));
            FloatVector y = relu ? a.max(0f) : activation(a, true);
            y.intoArray(pre, preOff + i);
            y.intoArray(h, i);
        }
        return bound;
    }

    /** {@link RecurrentKernels#rnnBackward} over the whole vectors of the first n values. */
    static int rnnBackward(float[] hs, int hOff, float[] dh, boolean relu, float[] da, int n) {
        int bound = S.loopBound(n);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector y = FloatVector.fromArray(S, hs, hOff + i);
            FloatVector d = FloatVector.fromArray(S, dh, i);
            FloatVector out = relu ? d.blend(0f, y.compare(VectorOperators.GT, 0f).not()) : d.mul(ONE.sub(y.mul(y)));
            out.intoArray(da, i);
        }
        return bound;
    }
}
