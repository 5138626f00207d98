package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * Binary cross-entropy on logits x with targets y in [0, 1], element-wise, as PyTorch's
 * {@code binary_cross_entropy_with_logits}: {@code L = −w·(pw·y·log σ(x) + (1 − y)·log(1 − σ(x)))}, with an
 * optional element weight w and a positive-class weight pw (one per class, along the last dimension).
 * <p>Computed in the stable form {@code L = w·((1 − y)·x + (1 + (pw − 1)·y)·softplus(−x))} with
 * {@code softplus(−x) = log(1 + e^−|x|) + max(−x, 0)}: no exponential of a positive number, no log of 0, so
 * logits of any size give finite losses.
 * <p>Backward: {@code ∂L/∂x = w·((1 − y) − (1 + (pw − 1)·y)·σ(−x))}, which is {@code w·(σ(x) − y)} when pw = 1;
 * {@code ∂L/∂y = w·(−x + (pw − 1)·softplus(−x))}.
 */
final class BceWithLogits extends Function {
    private final Reduction reduction;
    private Tensor x;
    private Tensor y;
    private Tensor weight;
    private Tensor posWeight;

    BceWithLogits(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        y = in[1];
        weight = in[2];
        posWeight = in[3];
        String op = "binary_cross_entropy_with_logits";
        LossChecks.inputAndTarget(op, x, y);
        checkBroadcast(op, "weight", weight);
        checkBroadcast(op, "pos_weight", posWeight);
        float[] loss = new float[x.size()];
        for (int i = 0; i < loss.length; i++) {
            float xi = x.data()[i];
            float yi = y.data()[i];
            float lw = 1f + (at(posWeight, i, 1f) - 1f) * yi;
            loss[i] = at(weight, i, 1f) * ((1f - yi) * xi + lw * softplusNeg(xi));
        }
        return LossChecks.reduce(loss, x.shape(), reduction, x.size());
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dy = needsInputGrad(1) ? Tensor.zeros(y.shape()) : null;
        for (int i = 0; i < x.size(); i++) {
            float s = LossChecks.upstream(g, i, reduction, x.size()) * at(weight, i, 1f);
            float xi = x.data()[i];
            float yi = y.data()[i];
            float pw = at(posWeight, i, 1f);
            if (dx != null) {
                float sigmoidNeg = sigmoid(-xi);
                dx.data()[i] = s * ((1f - yi) - (1f + (pw - 1f) * yi) * sigmoidNeg);
            }
            if (dy != null) {
                dy.data()[i] = s * (-xi + (pw - 1f) * softplusNeg(xi));
            }
        }
        return new Tensor[] {dx, dy, null, null};
    }

    /** log(1 + e^−x), without overflow. */
    private static float softplusNeg(float x) {
        return (float) (Math.log1p(Math.exp(-Math.abs(x))) + Math.max(-x, 0f));
    }

    private static float sigmoid(float v) {
        return v >= 0 ? (float) (1 / (1 + Math.exp(-v))) : (float) (Math.exp(v) / (1 + Math.exp(v)));
    }

    /** The weight for element i: t of x's shape, or a row along the last dimension, or {@code absent}. */
    private float at(Tensor t, int i, float absent) {
        if (t == null) {
            return absent;
        }
        return t.size() == x.size() ? t.data()[i] : t.data()[i % t.size()];
    }

    private void checkBroadcast(String op, String what, Tensor t) {
        if (t == null || t.shape().equals(x.shape())) {
            return;
        }
        int last = x.rank() == 0 ? 1 : x.dim(-1);
        if (!(t.rank() == 1 && t.dim(0) == last)) {
            throw new IllegalArgumentException(op + ": " + what + " " + t.shape() + " must have the input's shape "
                    + x.shape() + " or be [" + last + "], one value per class along the last dimension");
        }
    }
}
