package dev.nabla.ops;

/**
 * {@code y = ln x}, element-wise (PyTorch's {@code log}; −∞ at 0, NaN below).
 * <p>Backward: dy/dx = 1/x, so {@code dx = g / x}.
 */
final class Log extends Pointwise {
    @Override
    double value(double x) {
        return Math.log(x);
    }

    @Override
    double derivative(double x, double y) {
        return 1 / x;
    }
}
