package dev.nabla.ops;

/**
 * {@code y = |x|}, element-wise (PyTorch's {@code abs}).
 * <p>Backward: dy/dx = sign x, taken as 0 at 0 (PyTorch's subgradient), so {@code dx = g · sign x}.
 */
final class Abs extends Pointwise {
    @Override
    double value(double x) {
        return Math.abs(x);
    }

    @Override
    double derivative(double x, double y) {
        return Math.signum(x);
    }
}
