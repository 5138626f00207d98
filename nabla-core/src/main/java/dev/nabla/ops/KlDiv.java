package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * Kullback–Leibler divergence KL(y ‖ q) from log-probabilities x = log q and a target y, element-wise, as
 * PyTorch's {@code kl_div}: {@code L = y·(log y − x)}, or with {@code logTarget} (y given as log-probabilities)
 * {@code L = e^y·(y − x)}. A target probability of 0 contributes 0 (the limit of y log y), even where x = −∞,
 * where PyTorch's formula gives NaN. {@code BATCHMEAN} divides the sum by the batch size (dimension 0): the
 * divergence per sample; {@code MEAN} divides by the number of elements, as PyTorch (which warns about it).
 * <p>Backward: {@code ∂L/∂x = −y} ({@code −e^y} with log targets); {@code ∂L/∂y = log y + 1 − x}
 * ({@code e^y·(y − x + 1)} with log targets). At a zero target these are their limits: {@code ∂L/∂y = −∞}
 * (PyTorch: NaN), and 0 for a log target of −∞ (PyTorch: NaN).
 */
final class KlDiv extends Function {
    private final Reduction reduction;
    private final boolean logTarget;
    private Tensor x;
    private Tensor y;
    private double divisor;

    KlDiv(Reduction reduction, boolean logTarget) {
        this.reduction = reduction;
        this.logTarget = logTarget;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        y = in[1];
        String op = "kl_div";
        LossChecks.inputAndTarget(op, x, y);
        float[] loss = new float[x.size()];
        for (int i = 0; i < loss.length; i++) {
            float xi = x.data()[i];
            float yi = y.data()[i];
            if (logTarget) {
                loss[i] = yi == Float.NEGATIVE_INFINITY ? 0f : (float) Math.exp(yi) * (yi - xi);
            } else if (yi < 0f) {
                throw new IllegalArgumentException(op + ": target " + yi + " at " + LossChecks.position(y, i)
                        + " is negative: targets are probabilities (use logTarget if they are log-probabilities)");
            } else {
                loss[i] = yi == 0f ? 0f : yi * ((float) Math.log(yi) - xi);
            }
        }
        divisor = reduction == Reduction.BATCHMEAN ? (x.rank() == 0 ? 1 : x.dim(0)) : x.size();
        Reduction r = reduction == Reduction.BATCHMEAN ? Reduction.MEAN : reduction;
        return LossChecks.reduce(loss, x.shape(), r, divisor);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Reduction r = reduction == Reduction.BATCHMEAN ? Reduction.MEAN : reduction;
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dy = needsInputGrad(1) ? Tensor.zeros(y.shape()) : null;
        for (int i = 0; i < x.size(); i++) {
            float s = LossChecks.upstream(g, i, r, divisor);
            float xi = x.data()[i];
            float yi = y.data()[i];
            float p = logTarget ? (float) Math.exp(yi) : yi;
            if (dx != null) {
                dx.data()[i] = -p * s;
            }
            if (dy != null) {
                if (logTarget) {
                    // NOTE: p = 0 (y = −∞) gives 0, the limit of e^y·(y − x + 1), not 0·(−∞) = NaN
                    dy.data()[i] = p == 0f ? 0f : p * (yi - xi + 1f) * s;
                } else {
                    dy.data()[i] = (float) (Math.log(yi) + 1 - xi) * s;
                }
            }
        }
        return new Tensor[] {dx, dy};
    }
}
