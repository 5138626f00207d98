package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;

/**
 * The Huber loss, as PyTorch's {@code nn.HuberLoss}: ½(x − y)² where |x − y| &lt; δ, else δ(|x − y| − ½δ), per
 * element, reduced (mean by default): the squared error near the target, the absolute error far from it. δ defaults
 * to 1, as PyTorch's.
 */
public final class HuberLoss implements RegressionLoss, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** δ when none is given: 1, PyTorch's. */
    public static final double DEFAULT_DELTA = 1.0;
    private final Reduction reduction;
    private final double delta;

    /** The mean, δ = 1. */
    public HuberLoss() {
        this(Reduction.MEAN, DEFAULT_DELTA);
    }

    /** With the given reduction (MEAN, SUM or NONE) and δ > 0. */
    public HuberLoss(Reduction reduction, double delta) {
        this.reduction = Losses.notBatchMean(reduction, "HuberLoss");
        this.delta = delta;
    }

    /** The loss of predictions against targets of the same shape. */
    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Functional.huberLoss(input, target, reduction, delta);
    }
}
