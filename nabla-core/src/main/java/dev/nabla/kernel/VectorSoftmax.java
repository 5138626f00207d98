package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link SoftmaxRows}: the same passes (maximum, sum of exponentials, output) with whole
 * vectors. Along a contiguous row (inner = 1) the lanes split the row and are merged in lane order; along a
 * strided row (inner &gt; 1) each lane is one position and the row is walked with whole-vector loads. Reductions
 * merge in a fixed order, so results repeat exactly.
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
            float[] lanes = new float[L];
            for (int o = 0; o < outer; o++) {
                maxAndSum(x, o * n, n, ms, lanes);
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
                for (int c = 0; c < n; c++) {
                    m = m.max(FloatVector.fromArray(S, x, rowStart + c * inner + j));
                }
                FloatVector shift = m.blend(0f, m.eq(Float.NEGATIVE_INFINITY));
                FloatVector s = FloatVector.zero(S);
                for (int c = 0; c < n; c++) {
                    s = s.add(VectorSimd.expNonPositive(FloatVector.fromArray(S, x, rowStart + c * inner + j).sub(shift)));
                }
                writeStrided(x, y, rowStart + j, n, inner, m, s, log, lanes);
            }
            for (int j = bound; j < inner; j++) {
                SoftmaxRows.scalarForwardRow(x, y, rowStart + j, n, inner, log);
            }
        }
    }

    /**
     * The maximum and Σ e^(x − max) of one contiguous row, into {@code ms[0]}, {@code ms[1]}: a vector max pass,
     * then a pass of independent exponentials summed lane by lane; the lanes are merged in lane order through
     * {@code lanes} (a scratch array of one vector's length), so no vector outlives its loop.
     */
    private static void maxAndSum(float[] x, int off, int n, float[] ms, float[] lanes) {
        int bound = S.loopBound(n);
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (bound > 0) {
            FloatVector mv = FloatVector.fromArray(S, x, off);
            for (i = L; i < bound; i += L) {
                mv = mv.max(FloatVector.fromArray(S, x, off + i));
            }
            m = mv.reduceLanes(VectorOperators.MAX);   // max is exact in any order
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);   // Math.max keeps a NaN
        }
        float s = 0f;
        if (m != Float.NEGATIVE_INFINITY && !Float.isNaN(m)) {
            i = 0;
            if (bound > 0) {
                FloatVector sv = FloatVector.zero(S);
                for (; i < bound; i += L) {
                    sv = sv.add(VectorSimd.expNonPositive(FloatVector.fromArray(S, x, off + i).sub(m)));
                }
                sv.intoArray(lanes, 0);
                for (float lane : lanes) {
                    s += lane;
                }
            }
            for (; i < n; i++) {
                s += FastExp.nonPositive(x[off + i] - m);
            }
        } else {
            s = Float.NaN;   // a NaN in the row, or every entry −∞ (0/0, as PyTorch)
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
