package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;

/** Mean squared error, as PyTorch's {@code nn.MSELoss}: {@code (x − y)²} per element, reduced (mean by default). */
public final class MSELoss implements RegressionLoss, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private final Reduction reduction;

    /** The mean over all elements. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    /** With the given reduction: MEAN, SUM or NONE. */
    public MSELoss(Reduction reduction) {
        this.reduction = Losses.notBatchMean(reduction, "MSELoss");
    }

    /** The loss of predictions against targets of the same shape. */
    @Override
    public Tensor apply(Tensor input, Tensor target) {
        return Functional.mseLoss(input, target, reduction);
    }
}
