package dev.nabla.loss;

import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;

/**
 * Cross-entropy from logits, as PyTorch's {@code nn.CrossEntropyLoss}: softmax and negative log-likelihood in one
 * stable step, whose gradient is {@code softmax(z) − target} (over N for the mean).
 *
 * <p>Takes raw scores (logits) {@code [N, C]} or {@code [N, C, d1, …]}, and either class indices (one per sample
 * and position) or class probabilities of the logits' shape. Options, all PyTorch's: class {@code weight}
 * (the mean then divides by the summed weights of the counted targets), {@code ignoreIndex},
 * {@code labelSmoothing} ε (targets become (1 − ε)·onehot + ε/C) and the {@link Reduction}.
 *
 * <pre>{@code
 * var lossFn = CrossEntropyLoss.builder().labelSmoothing(0.1f).build();
 * Tensor loss = lossFn.apply(logits, labels);
 * }</pre>
 *
 * @see Functional#crossEntropy(Tensor, int[], Tensor, int, float, Reduction) for the formulas
 */
public final class CrossEntropyLoss implements ClassificationLoss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final float labelSmoothing;
    private final Reduction reduction;

    /** With PyTorch's defaults: no weights, ignore index −100, no smoothing, mean. */
    public CrossEntropyLoss() {
        this(builder());
    }

    private CrossEntropyLoss(Builder b) {
        this.weight = b.weight;
        this.ignoreIndex = b.ignoreIndex;
        this.labelSmoothing = b.labelSmoothing;
        this.reduction = b.reduction;
    }

    /** Options with PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The loss at class-index targets. */
    @Override
    public Tensor apply(Tensor logits, int[] targets) {
        return Functional.crossEntropy(logits, targets, weight, ignoreIndex, labelSmoothing, reduction);
    }

    /** The loss at probability targets (soft labels) of the logits' shape. */
    public Tensor apply(Tensor logits, Tensor targetProbabilities) {
        return Functional.crossEntropy(logits, targetProbabilities, weight, labelSmoothing, reduction);
    }

    /** Options of {@link CrossEntropyLoss}. */
    public static final class Builder {
        private Tensor weight;
        private int ignoreIndex = Functional.DEFAULT_IGNORE_INDEX;
        private float labelSmoothing;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {
        }

        /** A weight per class, {@code [C]}; rare classes get larger weights. */
        public Builder weight(Tensor classWeights) {
            this.weight = classWeights;
            return this;
        }

        /** Targets equal to this index are skipped (default −100). */
        public Builder ignoreIndex(int index) {
            this.ignoreIndex = index;
            return this;
        }

        /** Label smoothing ε in [0, 1] (default 0). */
        public Builder labelSmoothing(float epsilon) {
            Checks.unitClosed("label smoothing", epsilon);
            this.labelSmoothing = epsilon;
            return this;
        }

        /** MEAN (default), SUM or NONE. */
        public Builder reduction(Reduction r) {
            this.reduction = Losses.notBatchMean(r, "CrossEntropyLoss");
            return this;
        }

        /** The configured loss. */
        public CrossEntropyLoss build() {
            return new CrossEntropyLoss(this);
        }
    }
}
