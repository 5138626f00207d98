package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import java.util.Objects;

/**
 * Kullback–Leibler divergence KL(p ‖ q) = Σ p (log p − log q), as PyTorch's {@code nn.KLDivLoss}: the input is
 * log q (log-probabilities, e.g. from log-softmax), the target p (or log p with {@code logTarget}).
 *
 * <p><b>Note:</b> the reduction that gives the divergence per sample is {@link Reduction#BATCHMEAN};
 * {@link Reduction#MEAN}, PyTorch's default, divides by the number of elements (N·C) instead.
 */
public final class KLDivLoss {
    private final Reduction reduction;
    private final boolean logTarget;

    /** With reduction BATCHMEAN (the per-sample divergence) and probability targets. */
    public KLDivLoss() {
        this(Reduction.BATCHMEAN, false);
    }

    /**
     * @param reduction BATCHMEAN, MEAN (over elements), SUM or NONE
     * @param logTarget true when targets are log-probabilities
     */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        this.reduction = Objects.requireNonNull(reduction, "reduction");
        this.logTarget = logTarget;
    }

    /** KL(target ‖ exp(input)), reduced. */
    public Tensor apply(Tensor logProbabilities, Tensor target) {
        return Functional.klDiv(logProbabilities, target, reduction, logTarget);
    }
}
