package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nabla.tensor.Rng;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link FastExp#nonPositive}: accuracy against {@code Math.exp}, the special values, and its vector twin
 * {@link VectorSimd#expNonPositive}, which must agree with it bit for bit in every lane and on every call.
 */
class FastExpTest {
    private static final int LANES = FloatVector.SPECIES_PREFERRED.length();

    /**
     * Within 2 ulp of the exact e^x (Math.exp in double, then the float's ulp) over [−87, 0], sampled densely:
     * every 61st float, about 18 million arguments spread evenly in bits, so both the many tiny arguments near 0
     * and the range down to −87 are covered, plus an even grid in value. (All floats take ~25 s; the worst found
     * over every 7th float is 1.01 ulp.)
     */
    @Test
    void withinTwoUlpOfTheExactExponential() {
        int from = Float.floatToRawIntBits(-0f);
        int to = Float.floatToRawIntBits(-87f);
        double worst = 0;
        float worstAt = 0;
        for (long bits = from; bits <= to; bits += 61) {
            float x = Float.intBitsToFloat((int) bits);
            double ulps = ulpError(x);
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
        }
        for (int i = 0; i <= 1_000_000; i++) {
            float x = (float) (-87.0 * i / 1_000_000);
            double ulps = ulpError(x);
            if (ulps > worst) {
                worst = ulps;
                worstAt = x;
            }
        }
        assertTrue(worst <= 2, "FastExp.nonPositive(" + worstAt + ") is " + worst + " ulp from e^x");
    }

    /** Down to the lowest argument whose e^x is a normal float, −87.33654, the error stays within 2 ulp. */
    @Test
    void withinTwoUlpDownToTheLowestNormalResult() {
        for (float x = -87f; x >= FastExp.LOWEST; x = Math.nextDown(x)) {
            assertTrue(ulpError(x) <= 2, "at " + x + ": " + ulpError(x) + " ulp");
        }
        assertTrue(FastExp.nonPositive(FastExp.LOWEST) >= Float.MIN_NORMAL);
    }

    @Test
    void belowTheNormalRangeTheResultIsZero() {
        for (float x : new float[] {Math.nextDown(FastExp.LOWEST), -87.34f, -87.5f, -88f, -100f, -1e4f, -1e30f,
            -Float.MAX_VALUE, Float.NEGATIVE_INFINITY}) {
            assertEquals(0, Float.floatToRawIntBits(FastExp.nonPositive(x)), "e^" + x + " must be +0");
        }
        for (float x = -87.34f; x > -104f; x -= 0.01f) {   // where Math.exp would be subnormal, and beyond
            assertEquals(0f, FastExp.nonPositive(x), "e^" + x);
        }
    }

    @Test
    void specialValues() {
        assertEquals(1f, FastExp.nonPositive(0f));
        assertEquals(1f, FastExp.nonPositive(-0f));
        assertEquals(1f, FastExp.nonPositive(Float.MIN_VALUE), "a positive argument counts as 0");
        assertEquals(1f, FastExp.nonPositive(Float.POSITIVE_INFINITY), "a positive argument counts as 0");
        assertEquals(1f, FastExp.nonPositive(-Float.MIN_VALUE));
        assertEquals((float) Math.exp(-1), FastExp.nonPositive(-1f));
        float otherNaN = Float.intBitsToFloat(0x7fc0_1234);
        for (float nan : new float[] {Float.NaN, otherNaN, -Float.NaN}) {
            assertEquals(Float.floatToRawIntBits(nan), Float.floatToRawIntBits(FastExp.nonPositive(nan)),
                    "NaN must come back as the same NaN");
        }
    }

    /** The vector twin, lane by lane, bit for bit: on the special values in every lane position, and on a dense grid. */
    @Test
    void vectorAndScalarAgreeBitForBit() {
        float[] special = {0f, -0f, Float.MIN_VALUE, 1f, 100f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.NaN, Float.intBitsToFloat(0x7fc0_1234), -Float.MIN_VALUE, -Float.MIN_NORMAL, -1e-30f, -1e-7f,
            -0.5f * (float) Math.log(2), -(float) Math.log(2), -1f, -10f, -87f, FastExp.LOWEST,
            Math.nextUp(FastExp.LOWEST), Math.nextDown(FastExp.LOWEST), -87.34f, -88f, -103f, -Float.MAX_VALUE};
        // each special value in each lane, between ordinary neighbours
        for (int lane = 0; lane < LANES; lane++) {
            for (float v : special) {
                float[] x = new float[LANES];
                Arrays.fill(x, -0.3f);
                x[lane] = v;
                assertLanes(x);
            }
        }
        float[] grid = new float[LANES * 100_000];
        int from = Float.floatToRawIntBits(-0f);
        int to = Float.floatToRawIntBits(-104f);
        long stride = ((long) to - from) / grid.length + 1;
        for (int i = 0; i < grid.length; i++) {
            grid[i] = Float.intBitsToFloat((int) Math.min(from + i * stride, to));
        }
        assertLanes(grid);
        Rng rng = new Rng(12);
        float[] random = new float[LANES * 50_000];
        for (int i = 0; i < random.length; i++) {
            random[i] = -90f * rng.nextFloat();
        }
        assertLanes(random);
    }

    /**
     * 20 000 calls, enough for the JIT's top tier to compile both versions: every call gives the bits of the first
     * (the vector one must not switch to another instruction sequence, nor the scalar one to {@code Math.exp}).
     */
    @Test
    void repeatedCallsGiveTheSameBits() {
        Rng rng = new Rng(13);
        float[] x = new float[LANES * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = -20f * rng.nextFloat();
        }
        x[0] = Float.NaN;
        x[1] = Float.NEGATIVE_INFINITY;
        x[2] = -100f;
        float[] first = vector(x);
        float[] firstScalar = scalar(x);
        assertEquals(Arrays.toString(firstScalar), Arrays.toString(first));
        for (int call = 0; call < 20_000; call++) {
            if (!Arrays.equals(first, vector(x)) || !Arrays.equals(firstScalar, scalar(x))) {
                fail("call " + call + " gave other bits than the first");
            }
        }
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static double ulpError(float x) {
        double exact = Math.exp(x);
        return Math.abs(FastExp.nonPositive(x) - exact) / Math.ulp((float) exact);
    }

    private static void assertLanes(float[] x) {
        float[] v = vector(x);
        for (int i = 0; i < x.length; i++) {
            float s = FastExp.nonPositive(x[i]);
            if (Float.floatToRawIntBits(s) != Float.floatToRawIntBits(v[i])) {
                fail("at " + x[i] + " (lane " + i % LANES + "): scalar " + s + " (bits " + Integer.toHexString(
                        Float.floatToRawIntBits(s)) + "), vector " + v[i] + " (bits " + Integer.toHexString(
                        Float.floatToRawIntBits(v[i])) + ")");
            }
        }
    }

    private static float[] vector(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i += LANES) {
            VectorSimd.expNonPositive(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, x, i)).intoArray(out, i);
        }
        return out;
    }

    private static float[] scalar(float[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = FastExp.nonPositive(x[i]);
        }
        return out;
    }
}
