package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Sums} against the documented order written out as plain loops, bit for bit, for runs shorter than one step
 * of eight, of whole steps, with a tail, and starting off any alignment: through the path the machine takes (the
 * Vector API's, where the JVM has it) and through the plain loops alone.
 */
class SumsTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 23, 24, 31, 32, 33, 196, 783, 784};

    @Test
    void everySumAddsInEightLanesCombinedInTheDocumentedOrder() {
        Random random = new Random(7);
        float[] a = new float[800];
        float[] x = new float[800];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextGaussian() * 3 + 1);
            x[i] = (float) random.nextGaussian();
        }
        for (int from : new int[] {0, 1, 5}) {
            for (int length : LENGTHS) {
                int to = from + length;
                double[] s = new double[8];
                double[] q = new double[8];
                double[] d = new double[8];
                for (int i = from; i < to; i++) {
                    s[(i - from) % 8] += a[i];
                    double dev = a[i] - 0.75;
                    q[(i - from) % 8] += dev * dev;
                    d[(i - from) % 8] += a[i] * ((x[i] - 0.25f) * 1.5f);
                }
                String what = "[" + from + ", " + to + ")";
                assertEquals(combine(s), Sums.sum(a, from, to), 0.0, what);
                assertEquals(combine(q), Sums.squaredDeviations(a, from, to, 0.75), 0.0, what);
                assertEquals(combine(d), Sums.dotNormalized(a, x, from, to, 0.25f, 1.5f), 0.0, what);
                // the plain loops alone, which the Vector API path hands its lanes to
                assertEquals(combine(s), Sums.sum(a, from, to, 0, 0, 0, 0, 0, 0, 0, 0), 0.0, what);
                assertEquals(combine(q), Sums.squaredDeviations(a, from, to, 0.75, 0, 0, 0, 0, 0, 0, 0, 0), 0.0, what);
                assertEquals(combine(d), Sums.dotNormalized(a, x, from, to, 0.25f, 1.5f, 0, 0, 0, 0, 0, 0, 0, 0), 0.0,
                        what);
            }
        }
    }

    private static double combine(double[] s) {
        return ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    }
}
