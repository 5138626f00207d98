package dev.nabla.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * How Nabla writes numbers for people: in diagnoses, warnings, error messages, tables and reports. One place, so
 * that a figure reads the same wherever it appears. (Tensors print themselves as PyTorch does, in
 * {@link Tensor#toString()}.)
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * Three significant digits, in scientific notation outside [0.01, 1000) with two: {@code 0.527}, {@code 12.5},
     * {@code 8.2e-18}, {@code 1.3e22}; {@code 0}; {@code NaN}, {@code ∞}, {@code −∞}.
     */
    public static String sci(double v) {
        if (!Double.isFinite(v)) {
            return nonFinite(v);
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(new MathContext(3));
        if (a < 1e-2 || rounded.abs().doubleValue() >= 1e3) {
            String[] parts = String.format(Locale.ROOT, "%.1e", v).split("e");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            return mantissa + "e" + Integer.parseInt(parts[1]);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    /** A power of ten as {@code 1e-18}, {@code 1e22}, {@code 1}; other numbers as {@link #sci}. */
    public static String power(double v) {
        double exponent = Math.log10(v);
        if (v > 0 && Math.abs(exponent - Math.rint(exponent)) < 1e-9) {
            long e = Math.round(exponent);
            return e == 0 ? "1" : "1e" + e;
        }
        return sci(v);
    }

    /** A number as a person types it: {@code 1} rather than {@code 1.0}, {@code 0.5}, {@code 1.0E-6} as Java has it. */
    public static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** The name of a value that is not finite: {@code NaN}, {@code ∞} or {@code −∞}. */
    public static String nonFinite(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "∞" : "−∞";
    }
}
