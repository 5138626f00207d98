package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * Squared error {@code L = (x − y)²}, element-wise, reduced as PyTorch's {@code mse_loss} (mean by default).
 * <p>Backward: {@code ∂L/∂x = 2(x − y)} and {@code ∂L/∂y = −2(x − y)}, times the upstream gradient (divided by
 * the number of elements for the mean).
 */
final class Mse extends Function {
    private final Reduction reduction;
    private Tensor x;
    private Tensor y;

    Mse(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        y = in[1];
        LossChecks.inputAndTarget("mse_loss", x, y);
        float[] loss = new float[x.size()];
        for (int i = 0; i < loss.length; i++) {
            float d = x.data()[i] - y.data()[i];
            loss[i] = d * d;
        }
        return LossChecks.reduce(loss, x.shape(), reduction, x.size());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dy = needsInputGrad(1) ? Tensor.zeros(y.shape()) : null;
        for (int i = 0; i < x.size(); i++) {
            float d = 2f * (x.data()[i] - y.data()[i]) * LossChecks.upstream(g, i, reduction, x.size());
            if (dx != null) {
                dx.data()[i] = d;
            }
            if (dy != null) {
                dy.data()[i] = -d;
            }
        }
        return new Tensor[] {dx, dy};
    }
}
