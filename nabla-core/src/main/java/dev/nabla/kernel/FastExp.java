package dev.nabla.kernel;

/**
 * e^x for x ≤ 0 in float32, by range reduction and a polynomial (Cephes' {@code expf}): x = n·ln 2 + r with
 * |r| ≤ ln 2 / 2, e^r by a degree-7 polynomial, times 2^n built in the exponent bits. Within about 2 ulp of the
 * exact value; e^x underflows to 0 below −87.3 (where the result would be subnormal), e^−∞ = 0, NaN stays NaN.
 *
 * <p>Why not {@code Math.exp}: this is written from fused multiply-adds, multiplications and conversions only,
 * which the Vector API ({@link VectorSimd#expNonPositive}) computes with the same rounding in every lane, in
 * interpreted and in compiled code alike. The vector path and this scalar twin therefore agree bit for bit, and
 * a result never depends on when the JIT compiled the loop (the Vector API's own {@code EXP} does not promise
 * that). Every caller (softmax, sigmoid, softplus) only needs non-positive arguments.
 */
final class FastExp {
    static final float LOWEST = -87.33654f;
    static final float LOG2E = 1.44269504088896341f;
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    static final float ROUNDER = 12582912f;   // 1.5·2^23: adding it rounds a float of magnitude < 2^22 to an integer
    static final float P0 = 1.9875691500e-4f;
    static final float P1 = 1.3981999507e-3f;
    static final float P2 = 8.3334519073e-3f;
    static final float P3 = 4.1665795894e-2f;
    static final float P4 = 1.6666665459e-1f;
    static final float P5 = 5.0000001201e-1f;

    private FastExp() {
    }

    /** e^x for x ≤ 0 (positive arguments are treated as 0). */
    static float nonPositive(float x) {
        if (x < LOWEST) {
            return 0f;
        }
        x = Math.min(x, 0f);   // NaN stays NaN through every step below
        float n = (Math.fma(x, LOG2E, ROUNDER)) - ROUNDER;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(P0, r, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        return p * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
