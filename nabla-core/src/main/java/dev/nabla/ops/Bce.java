package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities x in [0, 1] with targets y in [0, 1], element-wise, as PyTorch's
 * {@code binary_cross_entropy}: {@code L = −w·(y·log x + (1 − y)·log(1 − x))}, each log clamped at −100 as
 * PyTorch does so that x = 0 or 1 gives a finite loss. Prefer {@link BceWithLogits} on logits: it is stable
 * without clamping.
 * <p>Backward: {@code ∂L/∂x = w·(x − y) / (x(1 − x))}, with the denominator kept ≥ 1e-12 (PyTorch's ε);
 * {@code ∂L/∂y = w·(log(1 − x) − log x)} with the same clamps.
 */
final class Bce extends Function {
    private static final float LOG_CLAMP = -100f;
    private static final float EPSILON = 1e-12f;

    private final Reduction reduction;
    private Tensor x;
    private Tensor y;
    private Tensor weight;

    Bce(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        y = in[1];
        weight = in[2];
        String op = "binary_cross_entropy";
        LossChecks.inputAndTarget(op, x, y);
        if (weight != null && !weight.shape().equals(x.shape())) {
            throw new IllegalArgumentException(op + ": weight " + weight.shape() + " must have the input's shape " + x.shape());
        }
        float[] loss = new float[x.size()];
        for (int i = 0; i < loss.length; i++) {
            float xi = x.data()[i];
            if (xi < 0f || xi > 1f) {
                throw new IllegalArgumentException(op + ": input " + xi + " at " + LossChecks.position(x, i)
                        + " is not a probability in [0, 1]: apply sigmoid first, or use BCEWithLogitsLoss on the logits");
            }
            float yi = y.data()[i];
            loss[i] = -w(i) * (yi * logClamped(xi) + (1f - yi) * logClamped(1f - xi));
        }
        return LossChecks.reduce(loss, x.shape(), reduction, x.size());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dy = needsInputGrad(1) ? Tensor.zeros(y.shape()) : null;
        for (int i = 0; i < x.size(); i++) {
            float s = LossChecks.upstream(g, i, reduction, x.size()) * w(i);
            float xi = x.data()[i];
            if (dx != null) {
                dx.data()[i] = s * (xi - y.data()[i]) / Math.max((1f - xi) * xi, EPSILON);
            }
            if (dy != null) {
                dy.data()[i] = s * (logClamped(1f - xi) - logClamped(xi));
            }
        }
        return new Tensor[] {dx, dy, null};
    }

    private float w(int i) {
        return weight == null ? 1f : weight.data()[i];
    }

    private static float logClamped(float v) {
        return Math.max((float) Math.log(v), LOG_CLAMP);
    }
}
