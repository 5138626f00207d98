package dev.nabla.kernel;

/**
 * The error function erf(x) = (2/√π) ∫₀ˣ e^{−t²} dt in double precision, which the JDK lacks; GELU's exact form needs
 * it (Φ(x) = ½(1 + erf(x/√2)) is the standard normal distribution function).
 *
 * <p>Algorithm: the series of Abramowitz and Stegun, <i>Handbook of Mathematical Functions</i>, 7.1.6,
 * erf x = (2/√π) e^{−x²} Σₙ 2ⁿ x^{2n+1} / (1·3·5···(2n+1)). Every term has the sign of x, so nothing cancels and the
 * sum is accurate to a few units in the last place; it is summed until a term no longer changes it (at most about
 * 2x² + 40 terms). Beyond |x| = 6, 1 − |erf x| &lt; 2.2e-17 is below half an ulp of 1, so erf x = ±1 exactly.
 * Tested against Python's {@code math.erf} to a relative 1e-15.
 */
public final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
    private static final double SATURATED = 6;

    private Erf() {
    }

    /** erf(x); NaN for NaN, ±1 for ±∞. */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double a = Math.abs(x);
        if (a >= SATURATED) {
            return Math.copySign(1, x);
        }
        double twoX2 = 2 * a * a;
        double term = a;
        double sum = a;
        for (int n = 0; ; n++) {
            term *= twoX2 / (2 * n + 3);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return Math.copySign(TWO_OVER_SQRT_PI * Math.exp(-a * a) * sum, x);
    }
}
