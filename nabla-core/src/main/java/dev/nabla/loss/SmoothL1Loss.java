package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;

/**
 * Smooth L1, as PyTorch's {@code nn.SmoothL1Loss}: ½(x − y)²/β where |x − y| &lt; β, else |x − y| − ½β, per
 * element, reduced (mean by default). β defaults to 1, as PyTorch's.
 */
public final class SmoothL1Loss implements RegressionLoss, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** β when none is given: 1, PyTorch's. */
    public static final double DEFAULT_BETA = 1.0;
    private final Reduction reduction;
    private final double beta;

    /** The mean, β = 1. */
    public SmoothL1Loss() {
        this(Reduction.MEAN, DEFAULT_BETA);
    }

    /** With the given reduction (MEAN, SUM or NONE) and β ≥ 0. */
    public SmoothL1Loss(Reduction reduction, double beta) {
        this.reduction = Losses.notBatchMean(reduction, "SmoothL1Loss");
        this.beta = beta;
    }

    /** The loss of predictions against targets of the same shape. */
    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Functional.smoothL1Loss(input, target, reduction, beta);
    }
}
