package dev.nabla.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link BatchNormKernels} for the {@code [N, C]} layout (S = 1), where the lanes are
 * neighbouring channels. Each method does the whole blocks of {@link #BLOCK} channels in {@code [from, to)} and
 * returns the first channel it did not do; the caller finishes the rest with the scalar loop.
 *
 * <p>The reductions ({@link #meanVar}, {@link #gradSums}) walk one block down the N rows with its double
 * accumulators in registers: each half of the block is loaded as floats and widened to a double vector. The
 * element-wise passes ({@link #normalize}, {@link #inputGrad}) stream row by row instead, which measured 2–4 times
 * faster than walking a block down the rows (a store every C floats). Every method does the scalar loop's
 * operations in the scalar loop's order — float where it computes in float, double where it sums, no fused
 * multiply-adds — so both paths give the same bits.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorBatchNorm {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = D.length();
    /** Floats of the same lane count as {@link #D}, half its bit width, so a load widens into one double vector. */
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Channels per block: one float vector, two double vectors (16 with AVX-512). */
    static final int BLOCK = 2 * L;

    private VectorBatchNorm() {
    }

    private static DoubleVector toDouble(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector widen(float[] a, int i) {
        return toDouble(FloatVector.fromArray(H, a, i));
    }

    private static void narrow(DoubleVector v, float[] a, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, H, 0)).intoArray(a, i);
    }

    /** {@link BatchNormKernels#meanVar}'s two passes for whole blocks of [from, to); returns the first channel left. */
    static int meanVar(float[] x, int n, int c, int from, int to, float[] mean, float[] var) {
        int ch = from;
        for (; ch + 4 * L <= to; ch += 4 * L) {   // four independent sums: the adds' latency no longer limits
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            DoubleVector s2 = DoubleVector.zero(D);
            DoubleVector s3 = DoubleVector.zero(D);
            for (int row = 0, at = ch; row < n; row++, at += c) {
                s0 = s0.add(widen(x, at));
                s1 = s1.add(widen(x, at + L));
                s2 = s2.add(widen(x, at + 2 * L));
                s3 = s3.add(widen(x, at + 3 * L));
            }
            DoubleVector m0 = s0.div(n);
            DoubleVector m1 = s1.div(n);
            DoubleVector m2 = s2.div(n);
            DoubleVector m3 = s3.div(n);
            DoubleVector q0 = DoubleVector.zero(D);
            DoubleVector q1 = DoubleVector.zero(D);
            DoubleVector q2 = DoubleVector.zero(D);
            DoubleVector q3 = DoubleVector.zero(D);
            for (int row = 0, at = ch; row < n; row++, at += c) {
                DoubleVector d0 = widen(x, at).sub(m0);
                DoubleVector d1 = widen(x, at + L).sub(m1);
                DoubleVector d2 = widen(x, at + 2 * L).sub(m2);
                DoubleVector d3 = widen(x, at + 3 * L).sub(m3);
                q0 = q0.add(d0.mul(d0));
                q1 = q1.add(d1.mul(d1));
                q2 = q2.add(d2.mul(d2));
                q3 = q3.add(d3.mul(d3));
            }
            narrow(m0, mean, ch);
            narrow(m1, mean, ch + L);
            narrow(m2, mean, ch + 2 * L);
            narrow(m3, mean, ch + 3 * L);
            narrow(q0.div(n), var, ch);
            narrow(q1.div(n), var, ch + L);
            narrow(q2.div(n), var, ch + 2 * L);
            narrow(q3.div(n), var, ch + 3 * L);
        }
        for (; ch + BLOCK <= to; ch += BLOCK) {
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            for (int row = 0, at = ch; row < n; row++, at += c) {
                s0 = s0.add(widen(x, at));
                s1 = s1.add(widen(x, at + L));
            }
            DoubleVector m0 = s0.div(n);
            DoubleVector m1 = s1.div(n);
            DoubleVector q0 = DoubleVector.zero(D);
            DoubleVector q1 = DoubleVector.zero(D);
            for (int row = 0, at = ch; row < n; row++, at += c) {
                DoubleVector d0 = widen(x, at).sub(m0);
                DoubleVector d1 = widen(x, at + L).sub(m1);
                q0 = q0.add(d0.mul(d0));   // not fma: the scalar loop rounds the square, and so must this
                q1 = q1.add(d1.mul(d1));
            }
            narrow(m0, mean, ch);
            narrow(m1, mean, ch + L);
            narrow(q0.div(n), var, ch);
            narrow(q1.div(n), var, ch + L);
        }
        return ch;
    }

    /**
     * {@code y = (x − mean)·scale + shift} per channel ({@link BatchNormKernels#normalize}), for whole blocks of
     * [from, to); returns the first channel left.
     */
    static int normalize(float[] x, int n, int c, int from, int to, float[] mean, float[] scale, float[] shift,
            float[] y) {
        int end = from + (to - from) / BLOCK * BLOCK;
        for (int row = 0, base = 0; row < n; row++, base += c) {
            for (int i = base + from; i < base + end; i += BLOCK) {
                int k = i - base;
                FloatVector.fromArray(F, x, i).sub(FloatVector.fromArray(F, mean, k))
                        .mul(FloatVector.fromArray(F, scale, k)).add(FloatVector.fromArray(F, shift, k))
                        .intoArray(y, i);
            }
        }
        return end;
    }

    /**
     * {@link BatchNormKernels#gradSums} for whole blocks of [from, to); returns the first channel left.
     * <p><b>Note:</b> two double vectors per sum, not four as in {@link #meanVar}: with four (eight accumulators and
     * eight per-channel vectors live in the loop) C2 compiled the loop, in most JVM runs, to code five times slower
     * (45 µs instead of 8 at [128, 512]); two measure 10–11 µs in every run.
     */
    static int gradSums(float[] x, float[] dy, int n, int c, int from, int to, float[] mean, float[] invStd,
            double[] sumDy, double[] sumDyXhat) {
        int ch = from;
        for (; ch + BLOCK <= to; ch += BLOCK) {
            FloatVector mu0 = FloatVector.fromArray(H, mean, ch);
            FloatVector mu1 = FloatVector.fromArray(H, mean, ch + L);
            FloatVector r0 = FloatVector.fromArray(H, invStd, ch);
            FloatVector r1 = FloatVector.fromArray(H, invStd, ch + L);
            DoubleVector a0 = DoubleVector.zero(D);
            DoubleVector a1 = DoubleVector.zero(D);
            DoubleVector b0 = DoubleVector.zero(D);
            DoubleVector b1 = DoubleVector.zero(D);
            for (int row = 0, at = ch; row < n; row++, at += c) {
                FloatVector g0 = FloatVector.fromArray(H, dy, at);
                FloatVector g1 = FloatVector.fromArray(H, dy, at + L);
                a0 = a0.add(toDouble(g0));
                a1 = a1.add(toDouble(g1));
                b0 = b0.add(toDouble(g0.mul(FloatVector.fromArray(H, x, at).sub(mu0).mul(r0))));
                b1 = b1.add(toDouble(g1.mul(FloatVector.fromArray(H, x, at + L).sub(mu1).mul(r1))));
            }
            a0.intoArray(sumDy, ch);
            a1.intoArray(sumDy, ch + L);
            b0.intoArray(sumDyXhat, ch);
            b1.intoArray(sumDyXhat, ch + L);
        }
        return ch;
    }

    /**
     * {@code dx = scale·(dy − meanDy − x̂·meanDyXhat)} with {@code x̂ = (x − mean)·invStd} per channel, for whole
     * blocks of [from, to) ({@link BatchNormKernels#inputGradBatchStats}); returns the first channel left.
     */
    static int inputGrad(float[] x, float[] dy, int n, int c, int from, int to, float[] mean, float[] invStd,
            float[] scale, float[] meanDy, float[] meanDyXhat, float[] dx) {
        int end = from + (to - from) / BLOCK * BLOCK;
        for (int row = 0, base = 0; row < n; row++, base += c) {
            for (int i = base + from; i < base + end; i += BLOCK) {
                int k = i - base;
                FloatVector xhat = FloatVector.fromArray(F, x, i).sub(FloatVector.fromArray(F, mean, k))
                        .mul(FloatVector.fromArray(F, invStd, k));
                FloatVector.fromArray(F, scale, k).mul(FloatVector.fromArray(F, dy, i)
                        .sub(FloatVector.fromArray(F, meanDy, k)).sub(xhat.mul(FloatVector.fromArray(F, meanDyXhat, k))))
                        .intoArray(dx, i);
            }
        }
        return end;
    }
}
