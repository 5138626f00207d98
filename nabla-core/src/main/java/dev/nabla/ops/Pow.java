package dev.nabla.ops;

/**
 * {@code y = xᵖ}, element-wise, for a constant exponent p (PyTorch's {@code pow(x, p)}).
 * <p>Backward: dy/dx = p·xᵖ⁻¹, so {@code dx = g · p · xᵖ⁻¹}; 0 for p = 0, as PyTorch.
 */
final class Pow extends Pointwise {
    private final double p;

    Pow(double p) {
        this.p = Checks.finite("exponent", p);
    }

    @Override
    double value(double x) {
        return Math.pow(x, p);
    }

    @Override
    double derivative(double x, double y) {
        return p == 0 ? 0 : p * Math.pow(x, p - 1);
    }
}
