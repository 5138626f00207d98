package dev.nabla.cli;

import java.util.Locale;

/** How the command line writes numbers. */
final class Numbers {
    private Numbers() {
    }

    /** A number as a person writes it: 1 rather than 1.0; 0.5; 1.0E-6 as Java prints it. */
    static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Three significant digits, in scientific notation outside [0.01, 10⁴): {@code 5.3e-17}, {@code 0.527}, {@code 1.2e20}. */
    static String sci(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-2 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.2e", v).replaceAll("e([+-])0*(\\d)", "e$1$2").replace("e+", "e");
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A power of ten as {@code 1e-18}, {@code 1e22}, {@code 1} (other numbers as {@link #sci}). */
    static String power(double v) {
        double exponent = Math.log10(v);
        if (v > 0 && Math.abs(exponent - Math.rint(exponent)) < 1e-9) {
            long e = Math.round(exponent);
            return e == 0 ? "1" : "1e" + e;
        }
        return sci(v);
    }
}
