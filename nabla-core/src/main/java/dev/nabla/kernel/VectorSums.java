package dev.nabla.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Sums}: the eight partial sums as the lanes of one vector of eight doubles (512-bit
 * vectors) or two of four (256-bit: lanes 0–3 and 4–7), fed by loads of floats widened to double, so the sums are
 * the scalar loop's bit for bit on either width. It uses the species the other kernels use ({@code VectorBatchNorm}'s
 * preferred doubles and floats of half their width): a species of its own would give the library's vector code
 * one more receiver type to profile, and shared call sites that see three types are compiled without inlining,
 * every vector then a heap object. Each method does the whole steps of eight elements from {@code from}, adds its
 * lanes into {@code s} and returns the first element it did not do; with any other vector width it does none.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorSums {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    private VectorSums() {
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(H, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    static int sum(float[] a, int from, int to, double[] s) {
        if (L == 8) {
            DoubleVector acc = DoubleVector.zero(D);
            int i = from;
            for (; i + 8 <= to; i += 8) {
                acc = acc.add(widen(a, i));
            }
            acc.intoArray(s, 0);
            return i;
        }
        if (L != 4) {
            return from;
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            low = low.add(widen(a, i));
            high = high.add(widen(a, i + 4));
        }
        low.intoArray(s, 0);
        high.intoArray(s, 4);
        return i;
    }

    static int squaredDeviations(float[] a, int from, int to, double mean, double[] s) {
        if (L == 8) {
            DoubleVector acc = DoubleVector.zero(D);
            int i = from;
            for (; i + 8 <= to; i += 8) {
                DoubleVector d = widen(a, i).sub(mean);
                acc = acc.add(d.mul(d));
            }
            acc.intoArray(s, 0);
            return i;
        }
        if (L != 4) {
            return from;
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            DoubleVector d0 = widen(a, i).sub(mean);
            DoubleVector d1 = widen(a, i + 4).sub(mean);
            low = low.add(d0.mul(d0));
            high = high.add(d1.mul(d1));
        }
        low.intoArray(s, 0);
        high.intoArray(s, 4);
        return i;
    }

    static int dotNormalized(float[] g, float[] x, int from, int to, float mean, float invStd, double[] s) {
        if (L == 8) {
            DoubleVector acc = DoubleVector.zero(D);
            int i = from;
            for (; i + 8 <= to; i += 8) {
                acc = acc.add(widen(product(g, x, i, mean, invStd)));
            }
            acc.intoArray(s, 0);
            return i;
        }
        if (L != 4) {
            return from;
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            low = low.add(widen(product(g, x, i, mean, invStd)));
            high = high.add(widen(product(g, x, i + 4, mean, invStd)));
        }
        low.intoArray(s, 0);
        high.intoArray(s, 4);
        return i;
    }

    /** g·((x − mean)·invStd) in float, for the L elements from i. */
    private static FloatVector product(float[] g, float[] x, int i, float mean, float invStd) {
        return FloatVector.fromArray(H, g, i).mul(FloatVector.fromArray(H, x, i).sub(mean).mul(invStd));
    }
}
