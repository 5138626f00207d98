package dev.nabla.kernel;

/**
 * Sums of a run of floats in double, in eight interleaved partial sums: element {@code from + i} goes into partial
 * sum {@code s[i mod 8]}, and the result is {@code ((s0 + s4) + (s1 + s5)) + ((s2 + s6) + (s3 + s7))}. One running
 * total would make every addition wait for the one before (a chain of four-cycle additions); eight independent ones
 * keep the adders busy, and with the Vector API ({@code VectorSums}) they are the lanes of two vectors of four
 * doubles. The order is fixed by the run alone, so the result does not depend on threads, on the vector width or on
 * the path taken: both give the same bits.
 */
public final class Sums {
    /** The partial sums, and the elements one vector step takes. */
    static final int LANES = 8;

    private Sums() {
    }

    /** Σ a[from, to). */
    public static double sum(float[] a, int from, int to) {
        double[] s = new double[LANES];
        int i = Simd.VECTORIZED ? VectorSums.sum(a, from, to, s) : from;
        for (; i < to; i++) {
            s[(i - from) % LANES] += a[i];
        }
        return combine(s);
    }

    /** Σ (a[i] − mean)² over [from, to), each deviation and square in double. */
    public static double squaredDeviations(float[] a, int from, int to, double mean) {
        double[] s = new double[LANES];
        int i = Simd.VECTORIZED ? VectorSums.squaredDeviations(a, from, to, mean, s) : from;
        for (; i < to; i++) {
            double d = a[i] - mean;
            s[(i - from) % LANES] += d * d;
        }
        return combine(s);
    }

    /**
     * Σ g[i]·((x[i] − mean)·invStd) over [from, to), each product in float and the sum in double: the γ gradient of
     * batch normalisation over one run of a channel.
     */
    public static double dotNormalized(float[] g, float[] x, int from, int to, float mean, float invStd) {
        double[] s = new double[LANES];
        int i = Simd.VECTORIZED ? VectorSums.dotNormalized(g, x, from, to, mean, invStd, s) : from;
        for (; i < to; i++) {
            s[(i - from) % LANES] += g[i] * ((x[i] - mean) * invStd);
        }
        return combine(s);
    }

    private static double combine(double[] s) {
        return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    }
}
