package dev.nabla.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Sums}: its eight partial sums as the lanes of one vector of eight doubles (512-bit
 * vectors) or of two of four (256-bit: partial sums 0–3 and 4–7). A step loads one vector of floats, 16 or 8, and
 * widens its two halves to doubles: with eight lanes the halves are two rows of eight, added one after the other,
 * with four lanes they are one row's partial sums 0–3 and 4–7. Each lane thus adds its elements in the scalar
 * loop's order, in double, with no fused multiply-add, and the scalar loop finishes the run from the lanes' values:
 * the same bits as the plain loops on either width. It uses only the preferred float and double species, those of
 * the other kernels, so the vector code shared with the matrix-product kernels sees no new vector type. Measured on
 * the Fashion-MNIST CNN's training step (batch 64, in one process alternating with the plain loops): 10 % faster on
 * two threads, 13 % on one. Each sum writes its two widths' loops out in full: helpers that passed the accumulating
 * vectors between methods (one loop for both widths) were compiled, in most processes, with those vectors boxed
 * (2 to 15 MB of garbage a CNN step).
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorSums {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = D.length();
    /** Whether the vectors hold the eight partial sums in one or two vectors; with other widths the plain loops run. */
    static final boolean SUPPORTED = (L == 8 || L == 4) && F.length() == 2 * L;

    private VectorSums() {
    }

    /** Half {@code part} (0 or 1) of v, widened to double. */
    private static DoubleVector half(FloatVector v, int part) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, part);
    }

    static double sum(float[] a, int from, int to) {
        int i = from;
        if (L == 8) {
            DoubleVector s = DoubleVector.zero(D);
            for (; i + 16 <= to; i += 16) {
                FloatVector v = FloatVector.fromArray(F, a, i);
                s = s.add(half(v, 0)).add(half(v, 1));
            }
            return Sums.sum(a, i, to, s.lane(0), s.lane(1), s.lane(2), s.lane(3), s.lane(4), s.lane(5), s.lane(6),
                    s.lane(7));
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (; i + 8 <= to; i += 8) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            low = low.add(half(v, 0));
            high = high.add(half(v, 1));
        }
        return Sums.sum(a, i, to, low.lane(0), low.lane(1), low.lane(2), low.lane(3), high.lane(0), high.lane(1),
                high.lane(2), high.lane(3));
    }

    static double squaredDeviations(float[] a, int from, int to, double mean) {
        int i = from;
        if (L == 8) {
            DoubleVector s = DoubleVector.zero(D);
            for (; i + 16 <= to; i += 16) {
                FloatVector v = FloatVector.fromArray(F, a, i);
                DoubleVector d0 = half(v, 0).sub(mean);
                DoubleVector d1 = half(v, 1).sub(mean);
                s = s.add(d0.mul(d0)).add(d1.mul(d1));
            }
            return Sums.squaredDeviations(a, i, to, mean, s.lane(0), s.lane(1), s.lane(2), s.lane(3), s.lane(4),
                    s.lane(5), s.lane(6), s.lane(7));
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (; i + 8 <= to; i += 8) {
            FloatVector v = FloatVector.fromArray(F, a, i);
            DoubleVector d0 = half(v, 0).sub(mean);
            DoubleVector d1 = half(v, 1).sub(mean);
            low = low.add(d0.mul(d0));
            high = high.add(d1.mul(d1));
        }
        return Sums.squaredDeviations(a, i, to, mean, low.lane(0), low.lane(1), low.lane(2), low.lane(3),
                high.lane(0), high.lane(1), high.lane(2), high.lane(3));
    }

    static double dotNormalized(float[] g, float[] x, int from, int to, float mean, float invStd) {
        int i = from;
        if (L == 8) {
            DoubleVector s = DoubleVector.zero(D);
            for (; i + 16 <= to; i += 16) {
                FloatVector v = product(g, x, i, mean, invStd);
                s = s.add(half(v, 0)).add(half(v, 1));
            }
            return Sums.dotNormalized(g, x, i, to, mean, invStd, s.lane(0), s.lane(1), s.lane(2), s.lane(3),
                    s.lane(4), s.lane(5), s.lane(6), s.lane(7));
        }
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = DoubleVector.zero(D);
        for (; i + 8 <= to; i += 8) {
            FloatVector v = product(g, x, i, mean, invStd);
            low = low.add(half(v, 0));
            high = high.add(half(v, 1));
        }
        return Sums.dotNormalized(g, x, i, to, mean, invStd, low.lane(0), low.lane(1), low.lane(2), low.lane(3),
                high.lane(0), high.lane(1), high.lane(2), high.lane(3));
    }

    /** g·((x − mean)·invStd) in float, for the elements of one float vector from i. */
    private static FloatVector product(float[] g, float[] x, int i, float mean, float invStd) {
        return FloatVector.fromArray(F, g, i).mul(FloatVector.fromArray(F, x, i).sub(mean).mul(invStd));
    }
}
