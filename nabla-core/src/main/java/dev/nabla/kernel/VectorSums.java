package dev.nabla.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Sums}: eight partial sums as two vectors of four doubles (lanes 0–3 and 4–7), fed
 * by loads of four floats widened to double, on every machine (AVX2 and AVX-512 alike), so the sums are the scalar
 * loop's bit for bit. Each method does the whole steps of eight elements from {@code from}, adds its lanes into
 * {@code s} and returns the first element it did not do.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorSums {
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;

    private VectorSums() {
    }

    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D4, 0);
    }

    static int sum(float[] a, int from, int to, double[] s) {
        DoubleVector low = DoubleVector.zero(D4);
        DoubleVector high = DoubleVector.zero(D4);
        int i = from;
        for (; i + Sums.LANES <= to; i += Sums.LANES) {
            low = low.add(widen(FloatVector.fromArray(F4, a, i)));
            high = high.add(widen(FloatVector.fromArray(F4, a, i + 4)));
        }
        return finish(low, high, s, i);
    }

    static int squaredDeviations(float[] a, int from, int to, double mean, double[] s) {
        DoubleVector low = DoubleVector.zero(D4);
        DoubleVector high = DoubleVector.zero(D4);
        int i = from;
        for (; i + Sums.LANES <= to; i += Sums.LANES) {
            DoubleVector d0 = widen(FloatVector.fromArray(F4, a, i)).sub(mean);
            DoubleVector d1 = widen(FloatVector.fromArray(F4, a, i + 4)).sub(mean);
            low = low.add(d0.mul(d0));
            high = high.add(d1.mul(d1));
        }
        return finish(low, high, s, i);
    }

    static int dotNormalized(float[] g, float[] x, int from, int to, float mean, float invStd, double[] s) {
        DoubleVector low = DoubleVector.zero(D4);
        DoubleVector high = DoubleVector.zero(D4);
        int i = from;
        for (; i + Sums.LANES <= to; i += Sums.LANES) {
            FloatVector p0 = FloatVector.fromArray(F4, g, i)
                    .mul(FloatVector.fromArray(F4, x, i).sub(mean).mul(invStd));
            FloatVector p1 = FloatVector.fromArray(F4, g, i + 4)
                    .mul(FloatVector.fromArray(F4, x, i + 4).sub(mean).mul(invStd));
            low = low.add(widen(p0));
            high = high.add(widen(p1));
        }
        return finish(low, high, s, i);
    }

    private static int finish(DoubleVector low, DoubleVector high, double[] s, int next) {
        low.intoArray(s, 0);
        high.intoArray(s, 4);
        return next;
    }
}
