package dev.nabla.ops;

import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * The checks that ops, layers and optimizers make on their arguments, each with one message, and the checks on a
 * tensor's values that the training loop and the gradient monitor make on every output and gradient of every step
 * (on the fast kernels). Not ops: nothing is recorded for backward.
 */
public final class Checks {
    private Checks() {
    }

    /** {@code value} if finite and {@code >= 0}, else an error naming it: "lr must be finite and >= 0, got -1.0". */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + show(value));
        }
        return value;
    }

    /** {@code value} if finite, else an error naming it. */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, got " + show(value));
        }
        return value;
    }

    /** {@code value} if finite and {@code > 0}, else an error naming it. */
    public static double positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, got " + show(value));
        }
        return value;
    }

    /** {@code value} if in {@code [0, 1)}, else an error naming it. */
    public static double unitOpen(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + show(value));
        }
        return value;
    }

    /** {@code value} if in {@code [0, 1]} (a probability, a momentum), else an error naming it. */
    public static double unitClosed(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + show(value));
        }
        return value;
    }

    /** A value as given: a float passed as a double reads {@code -0.1}, not {@code -0.10000000149011612}. */
    private static String show(double value) {
        return (float) value == value ? Float.toString((float) value) : Double.toString(value);
    }

    /** The flat (row-major) index of the first NaN or ±∞ in {@code t}, or −1 when every value is finite. */
    public static int firstNonFinite(Tensor t) {
        return Elementwise.firstNonFinite(t.data());
    }

    /** True when every value of {@code t} is finite (no NaN, no ±∞). */
    public static boolean allFinite(Tensor t) {
        return Elementwise.allFinite(t.data());
    }
}
