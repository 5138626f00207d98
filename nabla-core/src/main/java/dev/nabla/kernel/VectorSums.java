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
 * every vector then a heap object. Each method does the whole steps of eight elements from {@code from} in vectors,
 * then hands its lanes and the rest of the run to the scalar tail of {@link Sums}. Only for 256- and 512-bit
 * vectors ({@link #FITS}); {@link Sums} keeps to its plain loops on other widths.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorSums {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();
    /** Whether the eight lanes are one or two vectors of doubles here. */
    static final boolean FITS = L == 8 || L == 4;

    private VectorSums() {
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(H, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    static double sum(float[] a, int from, int to) {
        int i = from;
        if (L == 8) {
            DoubleVector acc = DoubleVector.zero(D);
            for (; i + 8 <= to; i += 8) {
                acc = acc.add(widen(a, i));
            }
            return Sums.sumTail(a, i, to, acc.lane(0), acc.lane(1), acc.lane(2), acc.lane(3), acc.lane(4),
                    acc.lane(5), acc.lane(6), acc.lane(7));
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (; i + 8 <= to; i += 8) {
            low = low.add(widen(a, i));
            high = high.add(widen(a, i + 4));
        }
        return Sums.sumTail(a, i, to, low.lane(0), low.lane(1), low.lane(2), low.lane(3), high.lane(0),
                high.lane(1), high.lane(2), high.lane(3));
    }

    static double squaredDeviations(float[] a, int from, int to, double mean) {
        int i = from;
        if (L == 8) {
            DoubleVector acc = DoubleVector.zero(D);
            for (; i + 8 <= to; i += 8) {
                DoubleVector d = widen(a, i).sub(mean);
                acc = acc.add(d.mul(d));
            }
            return Sums.squaresTail(a, i, to, mean, acc.lane(0), acc.lane(1), acc.lane(2), acc.lane(3), acc.lane(4),
                    acc.lane(5), acc.lane(6), acc.lane(7));
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (; i + 8 <= to; i += 8) {
            DoubleVector d0 = widen(a, i).sub(mean);
            DoubleVector d1 = widen(a, i + 4).sub(mean);
            low = low.add(d0.mul(d0));
            high = high.add(d1.mul(d1));
        }
        return Sums.squaresTail(a, i, to, mean, low.lane(0), low.lane(1), low.lane(2), low.lane(3), high.lane(0),
                high.lane(1), high.lane(2), high.lane(3));
    }

    static double dotNormalized(float[] g, float[] x, int from, int to, float mean, float invStd) {
        int i = from;
        if (L == 8) {
            DoubleVector acc = DoubleVector.zero(D);
            for (; i + 8 <= to; i += 8) {
                acc = acc.add(widen(product(g, x, i, mean, invStd)));
            }
            return Sums.dotTail(g, x, i, to, mean, invStd, acc.lane(0), acc.lane(1), acc.lane(2), acc.lane(3),
                    acc.lane(4), acc.lane(5), acc.lane(6), acc.lane(7));
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (; i + 8 <= to; i += 8) {
            low = low.add(widen(product(g, x, i, mean, invStd)));
            high = high.add(widen(product(g, x, i + 4, mean, invStd)));
        }
        return Sums.dotTail(g, x, i, to, mean, invStd, low.lane(0), low.lane(1), low.lane(2), low.lane(3),
                high.lane(0), high.lane(1), high.lane(2), high.lane(3));
    }

    /** g·((x − mean)·invStd) in float, for the L elements from i. */
    private static FloatVector product(float[] g, float[] x, int i, float mean, float invStd) {
        return FloatVector.fromArray(H, g, i).mul(FloatVector.fromArray(H, x, i).sub(mean).mul(invStd));
    }
}
