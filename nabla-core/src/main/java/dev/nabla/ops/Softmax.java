package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.SoftmaxRows;
import dev.nabla.tensor.Tensor;

/**
 * {@code y_i = e^(x_i − m) / Σ_j e^(x_j − m)} along dimension {@code dim}, with m the row maximum (the shift
 * cancels in the ratio and keeps every exponent ≤ 0, so nothing overflows).
 * <p>Backward: the Jacobian is ∂y_i/∂x_j = y_i(δ_ij − y_j), so
 * {@code dx_j = Σ_i g_i y_i(δ_ij − y_j) = y_j (g_j − ⟨g, y⟩)}: a Jacobian–vector product in O(C) per row, never
 * the C×C matrix.
 */
final class Softmax extends Function {
    private final int dim;
    private Axis axis;
    private Tensor y;

    Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        y = Tensor.zeros(x.shape());
        axis = Axis.of(x.shape(), dim);
        SoftmaxRows.softmax(x.data(), axis.outer(), axis.size(), axis.inner(), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(y.shape());
        SoftmaxRows.softmaxBackward(y.data(), g.data(), axis.outer(), axis.size(), axis.inner(), dx.data());
        return new Tensor[] {dx};
    }
}
