package dev.nabla.ops;

/**
 * {@code y = eˣ}, element-wise (PyTorch's {@code exp}).
 * <p>Backward: dy/dx = eˣ = y, so {@code dx = g · y}.
 */
final class Exp extends Pointwise {
    @Override
    double value(double x) {
        return Math.exp(x);
    }

    @Override
    double derivative(double x, double y) {
        return y;
    }
}
