package dev.nabla.ops;

/**
 * {@code y = min(max(x, lo), hi)}, element-wise (PyTorch's {@code clamp}; an infinite bound is no bound).
 * <p>Backward: dy/dx = 1 where lo ≤ x ≤ hi, else 0 (PyTorch passes the gradient at the bounds too), so
 * {@code dx = g · [lo ≤ x ≤ hi]}.
 */
final class Clamp extends Pointwise {
    private final double lo;
    private final double hi;

    Clamp(double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("clamp needs min <= max, got min " + lo + " and max " + hi);
        }
        this.lo = lo;
        this.hi = hi;
    }

    @Override
    double value(double x) {
        return Math.min(Math.max(x, lo), hi);
    }

    @Override
    double derivative(double x, double y) {
        return x >= lo && x <= hi ? 1 : 0;
    }
}
