package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;

/** Absolute error, as PyTorch's {@code nn.L1Loss}: {@code |x − y|} per element, reduced (mean by default). */
public final class L1Loss implements RegressionLoss, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private final Reduction reduction;

    /** The mean over all elements. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction: MEAN, SUM or NONE. */
    public L1Loss(Reduction reduction) {
        this.reduction = Losses.notBatchMean(reduction, "L1Loss");
    }

    /** The loss of predictions against targets of the same shape. */
    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Functional.l1Loss(input, target, reduction);
    }
}
