package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities in [0, 1], as PyTorch's {@code nn.BCELoss} (logs clamped at −100).
 * Prefer {@link BCEWithLogitsLoss} on logits: it is stable without clamping.
 */
public final class BCELoss {
    private final Tensor weight;
    private final Reduction reduction;

    /** Without weights, mean. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /**
     * @param weight    per-element weights of the input's shape, or null
     * @param reduction MEAN, SUM or NONE
     */
    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = weight;
        this.reduction = Losses.notBatchMean(reduction, "BCELoss");
    }

    /** The loss of probabilities against targets of the same shape. */
    public Tensor apply(Tensor probabilities, Tensor targets) {
        return Functional.binaryCrossEntropy(probabilities, targets, weight, reduction);
    }
}
