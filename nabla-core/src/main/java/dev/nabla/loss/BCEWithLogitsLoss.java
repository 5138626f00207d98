package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;

/**
 * Binary cross-entropy on logits, as PyTorch's {@code nn.BCEWithLogitsLoss}: sigmoid and binary cross-entropy
 * in one stable formula, for binary and multi-label classification (targets in [0, 1], one per logit).
 * {@code posWeight} ({@code [C]}, one per label) weighs positive examples, e.g. negatives/positives for an
 * imbalanced label.
 */
public final class BCEWithLogitsLoss {
    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    /** Without weights, mean. */
    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    /**
     * @param weight    per-element weights (the input's shape or one per last-dimension entry), or null
     * @param posWeight positive-class weight per last-dimension entry, or null
     * @param reduction MEAN, SUM or NONE
     */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = Losses.notBatchMean(reduction, "BCEWithLogitsLoss");
    }

    /** The loss of logits against targets of the same shape. */
    public Tensor apply(Tensor logits, Tensor targets) {
        return Functional.binaryCrossEntropyWithLogits(logits, targets, weight, posWeight, reduction);
    }
}
