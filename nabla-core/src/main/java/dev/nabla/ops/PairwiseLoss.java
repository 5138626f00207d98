package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Tensor;

/**
 * The shared shape of a regression loss that is a function of the difference d = x − y per element, reduced as
 * PyTorch reduces it (mean by default): forward sums {@link #loss}, backward gives {@code dx = g · f′(d)} and
 * {@code dy = −g · f′(d)} (divided by the number of elements for the mean). Each subclass is one loss of the
 * derivative table.
 */
abstract sealed class PairwiseLoss extends Function permits Mse, L1, SmoothL1, Huber {
    private final String name;
    private final Reduction reduction;
    private Tensor x;
    private Tensor y;

    PairwiseLoss(String name, Reduction reduction) {
        this.name = name;
        this.reduction = reduction;
    }

    /** The loss of one element whose difference is {@code d}. */
    abstract float loss(float d);

    /** Its derivative with respect to d. */
    abstract float derivative(float d);

    @Override
    protected final Tensor forward(Tensor... in) {
        x = in[0];
        y = in[1];
        LossChecks.inputAndTarget(name, x, y);
        float[] loss = new float[x.size()];
        for (int i = 0; i < loss.length; i++) {
            loss[i] = loss(x.data()[i] - y.data()[i]);
        }
        return LossChecks.reduce(loss, x.shape(), reduction, x.size());
    }

    @Override
    protected final Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dy = needsInputGrad(1) ? Tensor.zeros(y.shape()) : null;
        for (int i = 0; i < x.size(); i++) {
            float d = derivative(x.data()[i] - y.data()[i]) * LossChecks.upstream(g, i, reduction, x.size());
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
