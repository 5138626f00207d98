package dev.nabla.ops;

/**
 * {@code y = √x}, element-wise (PyTorch's {@code sqrt}; NaN below 0).
 * <p>Backward: dy/dx = 1/(2√x) = 1/(2y), so {@code dx = g / (2y)} (∞ at 0, as PyTorch).
 */
final class Sqrt extends Pointwise {
    @Override
    double value(double x) {
        return Math.sqrt(x);
    }

    @Override
    double derivative(double x, double y) {
        return 0.5 / y;
    }
}
