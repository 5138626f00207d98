package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.SoftmaxRows;
import dev.nabla.tensor.Tensor;

/**
 * {@code y_i = x_i − m − log Σ_j e^(x_j − m)} along dimension {@code dim} (m the row maximum): the logarithm of
 * softmax without ever forming softmax, so tiny probabilities keep their precision instead of rounding to
 * log(0) = −∞.
 * <p>Backward: ∂y_i/∂x_j = δ_ij − softmax_j, so {@code dx_j = g_j − e^(y_j) Σ_i g_i}.
 */
final class LogSoftmax extends Function {
    private final int dim;
    private Axis axis;
    private Tensor y;

    LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        y = Tensor.zeros(x.shape());
        axis = Axis.of(x.shape(), dim);
        SoftmaxRows.logSoftmax(x.data(), axis.outer(), axis.size(), axis.inner(), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(y.shape());
        SoftmaxRows.logSoftmaxBackward(y.data(), g.data(), axis.outer(), axis.size(), axis.inner(), dx.data());
        return new Tensor[] {dx};
    }
}
