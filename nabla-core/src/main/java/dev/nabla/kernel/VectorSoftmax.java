package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link SoftmaxRows}. Along a contiguous row (inner = 1) each lane keeps its own running
 * maximum and sum, merged in lane order at the end; along a strided row (inner &gt; 1) each lane is one position
 * and the row is walked with whole-vector loads. Reductions merge in a fixed order, so results repeat exactly.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorSoftmax {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorSoftmax() {
    }

    static void forward(float[] x, int outer, int n, int inner, float[] y, boolean log) {
        if (inner == 1) {
            float[] ms = new float[2];
            for (int o = 0; o < outer; o++) {
                maxAndSum(x, o * n, n, ms);
                writeContiguous(x, y, o * n, n, ms[0], ms[1], log);
            }
            return;
        }
        int bound = S.loopBound(inner);
        float[] lanes = new float[L];
        for (int o = 0; o < outer; o++) {
            int rowStart = o * n * inner;
            for (int j = 0; j < bound; j += L) {
                FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                FloatVector s = FloatVector.zero(S);
                for (int c = 0; c < n; c++) {
                    FloatVector v = FloatVector.fromArray(S, x, rowStart + c * inner + j);
                    FloatVector mNew = m.lanewise(VectorOperators.MAX, v);
                    s = rescaledSum(m, mNew, s, v);
                    m = mNew;
                }
                writeStrided(x, y, rowStart + j, n, inner, m, s, log, lanes);
            }
            for (int j = bound; j < inner; j++) {
                SoftmaxRows.scalarForwardRow(x, y, rowStart + j, n, inner, log);
            }
        }
    }

    /**
     * One online step in every lane, given the new maximum m' = max(m, v): s' = s·e^(m − m') + e^(v − m').
     * Lanes whose maximum is still −∞ keep s = 0 (shifting by 0 instead of −∞ avoids −∞ − (−∞) = NaN).
     */
    private static FloatVector rescaledSum(FloatVector m, FloatVector mNew, FloatVector s, FloatVector v) {
        FloatVector shift = mNew.blend(0f, mNew.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
        return s.mul(VectorSimd.expNonPositive(m.sub(shift))).add(VectorSimd.expNonPositive(v.sub(shift)));
    }

    /** The maximum and Σ e^(x − max) of one contiguous row, into {@code ms[0]}, {@code ms[1]}. */
    private static void maxAndSum(float[] x, int off, int n, float[] ms) {
        int bound = S.loopBound(n);
        float m = Float.NEGATIVE_INFINITY;
        float s = 0f;
        if (bound > 0) {
            FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            FloatVector sv = FloatVector.zero(S);
            for (int i = 0; i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, off + i);
                FloatVector mNew = mv.lanewise(VectorOperators.MAX, v);
                sv = rescaledSum(mv, mNew, sv, v);
                mv = mNew;
            }
            m = mv.reduceLanes(VectorOperators.MAX);   // max is exact in any order
            if (m != Float.NEGATIVE_INFINITY) {
                FloatVector scaled = sv.mul(VectorSimd.expNonPositive(mv.sub(m)));
                for (int lane = 0; lane < L; lane++) {
                    s += scaled.lane(lane);
                }
            }
            if (Float.isNaN(m)) {
                s = Float.NaN;
            }
        }
        for (int i = bound; i < n; i++) {
            float v = x[off + i];
            if (v > m) {
                s = s * FastExp.nonPositive(m - v) + 1f;
                m = v;
            } else if (v != Float.NEGATIVE_INFINITY) {
                s += FastExp.nonPositive(v - m);
            }
        }
        ms[0] = m;
        ms[1] = s;
    }

    private static void writeContiguous(float[] x, float[] y, int off, int n, float m, float s, boolean log) {
        if (m == Float.NEGATIVE_INFINITY) {
            s = Float.NaN;
        }
        int bound = S.loopBound(n);
        if (log) {
            float logSum = (float) Math.log(s);
            int i = 0;
            for (; i < bound; i += L) {
                FloatVector.fromArray(S, x, off + i).sub(m).sub(logSum).intoArray(y, off + i);
            }
            for (; i < n; i++) {
                y[off + i] = x[off + i] - m - logSum;
            }
        } else {
            float inv = 1f / s;
            int i = 0;
            for (; i < bound; i += L) {
                VectorSimd.expNonPositive(FloatVector.fromArray(S, x, off + i).sub(m)).mul(inv).intoArray(y, off + i);
            }
            for (; i < n; i++) {
                y[off + i] = FastExp.nonPositive(x[off + i] - m) * inv;
            }
        }
    }

    private static void writeStrided(float[] x, float[] y, int base, int n, int inner, FloatVector m, FloatVector s,
                                     boolean log, float[] lanes) {
        VectorMask<Float> allMinusInf = m.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY);
        s = s.blend(Float.NaN, allMinusInf);
        if (log) {
            // NOTE: Math.log per lane, not lanewise(LOG), whose result may change once the JIT compiles the loop.
            s.intoArray(lanes, 0);
            for (int lane = 0; lane < L; lane++) {
                lanes[lane] = (float) Math.log(lanes[lane]);
            }
            FloatVector logSum = FloatVector.fromArray(S, lanes, 0);
            for (int c = 0; c < n; c++) {
                int k = base + c * inner;
                FloatVector.fromArray(S, x, k).sub(m).sub(logSum).intoArray(y, k);
            }
        } else {
            FloatVector inv = FloatVector.broadcast(S, 1f).div(s);
            for (int c = 0; c < n; c++) {
                int k = base + c * inner;
                VectorSimd.expNonPositive(FloatVector.fromArray(S, x, k).sub(m)).mul(inv).intoArray(y, k);
            }
        }
    }

    static void backward(float[] y, float[] dy, int outer, int n, int inner, float[] dx, boolean log) {
        if (inner == 1) {
            int bound = S.loopBound(n);
            for (int o = 0; o < outer; o++) {
                int off = o * n;
                float acc = log ? sum(dy, off, n) : VectorSimd.dot(n, dy, off, y, off);
                int i = 0;
                for (; i < bound; i += L) {
                    FloatVector vy = FloatVector.fromArray(S, y, off + i);
                    FloatVector vdy = FloatVector.fromArray(S, dy, off + i);
                    FloatVector out = log ? vdy.sub(VectorSimd.expNonPositive(vy).mul(acc)) : vy.mul(vdy.sub(acc));
                    out.intoArray(dx, off + i);
                }
                for (; i < n; i++) {
                    int k = off + i;
                    dx[k] = log ? dy[k] - FastExp.nonPositive(y[k]) * acc : y[k] * (dy[k] - acc);
                }
            }
            return;
        }
        int bound = S.loopBound(inner);
        for (int o = 0; o < outer; o++) {
            int rowStart = o * n * inner;
            for (int j = 0; j < bound; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int c = 0; c < n; c++) {
                    int k = rowStart + c * inner + j;
                    FloatVector vdy = FloatVector.fromArray(S, dy, k);
                    acc = log ? acc.add(vdy) : vdy.fma(FloatVector.fromArray(S, y, k), acc);
                }
                for (int c = 0; c < n; c++) {
                    int k = rowStart + c * inner + j;
                    FloatVector vy = FloatVector.fromArray(S, y, k);
                    FloatVector vdy = FloatVector.fromArray(S, dy, k);
                    (log ? vdy.sub(VectorSimd.expNonPositive(vy).mul(acc)) : vy.mul(vdy.sub(acc))).intoArray(dx, k);
                }
            }
            for (int j = bound; j < inner; j++) {
                SoftmaxRows.scalarBackwardRow(y, dy, dx, rowStart + j, n, inner, log);
            }
        }
    }

    private static float sum(float[] x, int off, int n) {
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
        }
        float s = 0f;
        for (int lane = 0; lane < L; lane++) {
            s += acc.lane(lane);
        }
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }
}
