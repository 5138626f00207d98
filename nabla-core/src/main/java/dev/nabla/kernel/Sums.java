package dev.nabla.kernel;

/**
 * Sums of a run of floats in double, in eight interleaved partial sums: element {@code from + i} goes into partial
 * sum {@code s[i mod 8]}, and the result is {@code ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))}. One running
 * total would make every addition wait for the one before (a chain of four-cycle additions); eight independent ones
 * keep the adders busy. The order is fixed by the run alone, so the result does not depend on threads, on the vector
 * width or on the path taken. Nothing is allocated: the batch-norm passes call these once per channel and sample.
 *
 * <p>With the Vector API ({@link VectorSums}) the eight partial sums are the lanes of one vector of eight doubles
 * (two of four with 256-bit vectors), which takes the whole steps of the run; the plain loops here finish it from
 * where it stopped, with its lanes as their partial sums. Both give the same bits.
 */
public final class Sums {
    /** Whether {@link VectorSums} takes the whole steps (it is not loaded without the Vector API). */
    private static final boolean VECTOR = Simd.VECTORIZED && VectorSums.SUPPORTED;

    private Sums() {
    }

    /** Σ a[from, to). */
    public static double sum(float[] a, int from, int to) {
        return VECTOR ? VectorSums.sum(a, from, to) : sum(a, from, to, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@link #sum} of {@code a[i, to)} on top of the partial sums of the run so far, {@code i − from} a multiple of 8. */
    static double sum(float[] a, int i, int to, double s0, double s1, double s2, double s3, double s4, double s5,
                      double s6, double s7) {
        for (; i + 8 <= to; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        return sumTail(a, i, to, s0, s1, s2, s3, s4, s5, s6, s7);
    }

    /** Σ (a[i] − mean)² over [from, to), each deviation and square in double. */
    public static double squaredDeviations(float[] a, int from, int to, double mean) {
        return VECTOR ? VectorSums.squaredDeviations(a, from, to, mean)
                : squaredDeviations(a, from, to, mean, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@link #squaredDeviations} of {@code a[i, to)} on top of the partial sums of the run so far. */
    static double squaredDeviations(float[] a, int i, int to, double mean, double s0, double s1, double s2, double s3,
                                    double s4, double s5, double s6, double s7) {
        for (; i + 8 <= to; i += 8) {
            s0 += square(a[i] - mean);
            s1 += square(a[i + 1] - mean);
            s2 += square(a[i + 2] - mean);
            s3 += square(a[i + 3] - mean);
            s4 += square(a[i + 4] - mean);
            s5 += square(a[i + 5] - mean);
            s6 += square(a[i + 6] - mean);
            s7 += square(a[i + 7] - mean);
        }
        return squaresTail(a, i, to, mean, s0, s1, s2, s3, s4, s5, s6, s7);
    }

    /**
     * Σ g[i]·((x[i] − mean)·invStd) over [from, to), each product in float and the sum in double: the γ gradient of
     * batch normalisation over one run of a channel.
     */
    public static double dotNormalized(float[] g, float[] x, int from, int to, float mean, float invStd) {
        return VECTOR ? VectorSums.dotNormalized(g, x, from, to, mean, invStd)
                : dotNormalized(g, x, from, to, mean, invStd, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@link #dotNormalized} of {@code [i, to)} on top of the partial sums of the run so far. */
    static double dotNormalized(float[] g, float[] x, int i, int to, float mean, float invStd, double s0, double s1,
                                double s2, double s3, double s4, double s5, double s6, double s7) {
        for (; i + 8 <= to; i += 8) {
            s0 += g[i] * ((x[i] - mean) * invStd);
            s1 += g[i + 1] * ((x[i + 1] - mean) * invStd);
            s2 += g[i + 2] * ((x[i + 2] - mean) * invStd);
            s3 += g[i + 3] * ((x[i + 3] - mean) * invStd);
            s4 += g[i + 4] * ((x[i + 4] - mean) * invStd);
            s5 += g[i + 5] * ((x[i + 5] - mean) * invStd);
            s6 += g[i + 6] * ((x[i + 6] - mean) * invStd);
            s7 += g[i + 7] * ((x[i + 7] - mean) * invStd);
        }
        return dotTail(g, x, i, to, mean, invStd, s0, s1, s2, s3, s4, s5, s6, s7);
    }

    private static double square(double d) {
        return d * d;
    }

    /** Adds the last, fewer than eight, elements from {@code i} into partial sums 0, 1, …, then combines them. */
    private static double sumTail(float[] a, int i, int to, double s0, double s1, double s2, double s3, double s4, double s5,
                          double s6, double s7) {
        int r = to - i;
        s0 += r > 0 ? a[i] : 0;
        s1 += r > 1 ? a[i + 1] : 0;
        s2 += r > 2 ? a[i + 2] : 0;
        s3 += r > 3 ? a[i + 3] : 0;
        s4 += r > 4 ? a[i + 4] : 0;
        s5 += r > 5 ? a[i + 5] : 0;
        s6 += r > 6 ? a[i + 6] : 0;
        return combine(s0, s1, s2, s3, s4, s5, s6, s7);
    }

    /** {@link #sumTail} for {@link #squaredDeviations}. */
    private static double squaresTail(float[] a, int i, int to, double mean, double s0, double s1, double s2, double s3,
                              double s4, double s5, double s6, double s7) {
        int r = to - i;
        s0 += r > 0 ? square(a[i] - mean) : 0;
        s1 += r > 1 ? square(a[i + 1] - mean) : 0;
        s2 += r > 2 ? square(a[i + 2] - mean) : 0;
        s3 += r > 3 ? square(a[i + 3] - mean) : 0;
        s4 += r > 4 ? square(a[i + 4] - mean) : 0;
        s5 += r > 5 ? square(a[i + 5] - mean) : 0;
        s6 += r > 6 ? square(a[i + 6] - mean) : 0;
        return combine(s0, s1, s2, s3, s4, s5, s6, s7);
    }

    /** {@link #sumTail} for {@link #dotNormalized}. */
    private static double dotTail(float[] g, float[] x, int i, int to, float mean, float invStd, double s0, double s1,
                          double s2, double s3, double s4, double s5, double s6, double s7) {
        int r = to - i;
        s0 += r > 0 ? g[i] * ((x[i] - mean) * invStd) : 0;
        s1 += r > 1 ? g[i + 1] * ((x[i + 1] - mean) * invStd) : 0;
        s2 += r > 2 ? g[i + 2] * ((x[i + 2] - mean) * invStd) : 0;
        s3 += r > 3 ? g[i + 3] * ((x[i + 3] - mean) * invStd) : 0;
        s4 += r > 4 ? g[i + 4] * ((x[i + 4] - mean) * invStd) : 0;
        s5 += r > 5 ? g[i + 5] * ((x[i + 5] - mean) * invStd) : 0;
        s6 += r > 6 ? g[i + 6] * ((x[i + 6] - mean) * invStd) : 0;
        return combine(s0, s1, s2, s3, s4, s5, s6, s7);
    }

    private static double combine(double s0, double s1, double s2, double s3, double s4, double s5, double s6,
                                  double s7) {
        return ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7));
    }
}
