package dev.nabla.ops;

/**
 * {@code y = ln(1 + x)}, element-wise, exact for small x where {@code log(1 + x)} loses digits (PyTorch's {@code log1p}).
 * <p>Backward: dy/dx = 1/(1 + x), so {@code dx = g / (1 + x)}.
 */
final class Log1p extends Pointwise {
    @Override
    double value(double x) {
        return Math.log1p(x);
    }

    @Override
    double derivative(double x, double y) {
        return 1 / (1 + x);
    }
}
