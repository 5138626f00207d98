package dev.nabla.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Elementwise}: the activations, and the row broadcasts and column sums of a
 * {@code [rows, C]} array. Each method handles the whole vectors and returns where it stopped; the caller finishes
 * the tail with the scalar twin, which does the same operations, so every element gets the same bits either way.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Floats of the same lane count as {@link #D}, so a load widens into one double vector. */
    private static final VectorSpecies<Float> H = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));

    private VectorElementwise() {
    }

    /** {@link Elementwise#sigmoidOf} over the whole vectors of [from, to); returns the first index not done. */
    static int sigmoid(float[] x, float[] y, int from, int to) {
        int bound = from + S.loopBound(to - from);
        for (int i = from; i < bound; i += S.length()) {
            sigmoid(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return bound;
    }

    /** {@link Elementwise#sigmoidOf} in every lane, with the same operations (the same bits). */
    static FloatVector sigmoid(FloatVector v) {
        FloatVector e = VectorSimd.expNonPositive(v.abs().neg());
        return ONE.blend(e, v.lt(0f)).div(e.add(1f));
    }

    /** {@code out = a·e^x} ({@link Elementwise#scaledExp}) over the whole vectors of [from, to); returns the first index not done. */
    static int scaledExp(float[] x, int from, int to, float a, float[] out) {
        int end = from + S.loopBound(to - from);
        for (int i = from; i < end; i += S.length()) {
            VectorSimd.expNonPositive(FloatVector.fromArray(S, x, i)).mul(a).intoArray(out, i);
        }
        return end;
    }

    /**
     * Where {@link Elementwise#firstNaN} must look: the start of the first whole vector that holds a NaN, or the
     * first index after the whole vectors when none does.
     */
    static int firstNaNVector(float[] x) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            if (v.compare(VectorOperators.NE, v).anyTrue()) {   // NaN is the only value not equal to itself
                return i;
            }
        }
        return bound;
    }

    /**
     * Where {@link Elementwise#firstNonFinite} must look: the start of the first whole vector that holds a NaN or
     * ±∞, or the first index after the whole vectors when none does.
     */
    static int firstNonFiniteVector(float[] x) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            if (!FloatVector.fromArray(S, x, i).test(VectorOperators.IS_FINITE).allTrue()) {
                return i;
            }
        }
        return bound;
    }

    /** {@link Elementwise#tanhOf} over the whole vectors of [from, to); returns the first index not done. */
    static int tanh(float[] x, float[] y, int from, int to) {
        int bound = from + S.loopBound(to - from);
        for (int i = from; i < bound; i += S.length()) {
            tanh(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return bound;
    }

    /** {@link Elementwise#tanhOf} in every lane, with the same operations (the same bits). */
    static FloatVector tanh(FloatVector v) {
        FloatVector a = v.abs();
        FloatVector p = a.mul(a);
        FloatVector series = a.mul(p.mul(p.mul(p.mul(-17f / 315f).add(2f / 15f)).add(-1f / 3f)).add(1f));
        FloatVector e = VectorSimd.expNonPositive(a.mul(-2f));
        FloatVector exact = ONE.sub(e).div(ONE.add(e));
        FloatVector t = exact.blend(series, a.lt(Elementwise.TANH_SERIES_BELOW));
        VectorMask<Float> negative = v.lt(0f);
        return t.blend(t.neg(), negative);
    }

    /** {@code dx = dy} where x &gt; 0, else 0, over the whole vectors of [from, to); returns the first index not done. */
    static int reluBackward(float[] x, float[] dy, float[] dx, int from, int to) {
        int bound = from + S.loopBound(to - from);
        for (int i = from; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector.fromArray(S, dy, i).blend(0f, v.compare(VectorOperators.GT, 0f).not()).intoArray(dx, i);
        }
        return bound;
    }

    /** {@code y = max(x, 0)} over the whole vectors of [from, to) (NaN stays NaN); returns the first index not done. */
    static int relu(float[] x, float[] y, int from, int to) {
        int bound = from + S.loopBound(to - from);
        for (int i = from; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
        }
        return bound;
    }

    /**
     * {@code out[base + j] = x[base + j] + alpha·y[j]} for the whole rows {@code base} of {@code [fromRow, toRow)}
     * in a {@code [rows, C]} array (C = y.length) and the columns j of whole vectors; returns the first column not
     * done in each row (all of them in a partial last row).
     */
    static int addBroadcast(float[] x, float[] y, float alpha, float[] out, int fromRow, int toRow) {
        int c = y.length;
        int end = S.loopBound(c);
        if (c == 0 || (long) toRow * c > x.length) {
            return 0;
        }
        for (int base = fromRow * c; base < toRow * c; base += c) {
            for (int i = base; i < base + end; i += S.length()) {
                FloatVector.fromArray(S, x, i).add(FloatVector.fromArray(S, y, i - base).mul(alpha)).intoArray(out, i);
            }
        }
        return end;
    }

    /**
     * The column sums of a {@code [rows, C]} array (C = acc.length) in double, for the columns of whole pairs of
     * double vectors: a block of four (or two) double vectors walks down the rows with its sums in registers, adding
     * the rows in order as the scalar loop does (so the same sums). Columns {@code [from, to)}: writes acc there;
     * returns the first column not done.
     */
    static int columnSums(float[] x, double[] acc, int from, int to) {
        int c = acc.length;
        if (c == 0) {
            return from;
        }
        int lanes = D.length();
        int rows = x.length / c;
        int j = from;
        for (; j + 4 * lanes <= to; j += 4 * lanes) {   // four independent sums: the adds' latency no longer limits
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            DoubleVector s2 = DoubleVector.zero(D);
            DoubleVector s3 = DoubleVector.zero(D);
            for (int row = 0, at = j; row < rows; row++, at += c) {
                s0 = s0.add(widen(x, at));
                s1 = s1.add(widen(x, at + lanes));
                s2 = s2.add(widen(x, at + 2 * lanes));
                s3 = s3.add(widen(x, at + 3 * lanes));
            }
            s0.intoArray(acc, j);
            s1.intoArray(acc, j + lanes);
            s2.intoArray(acc, j + 2 * lanes);
            s3.intoArray(acc, j + 3 * lanes);
        }
        for (; j + 2 * lanes <= to; j += 2 * lanes) {
            DoubleVector s0 = DoubleVector.zero(D);
            DoubleVector s1 = DoubleVector.zero(D);
            for (int row = 0, at = j; row < rows; row++, at += c) {
                s0 = s0.add(widen(x, at));
                s1 = s1.add(widen(x, at + lanes));
            }
            s0.intoArray(acc, j);
            s1.intoArray(acc, j + lanes);
        }
        return j;
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(H, a, i).convertShape(VectorOperators.F2D, D, 0);
    }
}
