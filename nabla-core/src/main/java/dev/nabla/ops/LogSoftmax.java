package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.SoftmaxRows;
import dev.nabla.tensor.Tensor;

/**
 * {@code y_i = x_i − m − log Σ_j e^(x_j − m)} over the last dimension (m the row maximum): the logarithm of
 * softmax without ever forming softmax, so tiny probabilities keep their precision instead of rounding to
 * log(0) = −∞.
 * <p>Backward: ∂y_i/∂x_j = δ_ij − softmax_j, so {@code dx_j = g_j − e^(y_j) Σ_i g_i}.
 */
final class LogSoftmax extends Function {
    private Tensor y;

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        y = Tensor.zeros(x.shape());
        SoftmaxRows.logSoftmax(x.data(), x.dim(-1), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.zeros(y.shape());
        SoftmaxRows.logSoftmaxBackward(y.data(), g.data(), y.dim(-1), dx.data());
        return new Tensor[] {dx};
    }
}
