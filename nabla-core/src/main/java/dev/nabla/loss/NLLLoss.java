package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;

/**
 * Negative log-likelihood on log-probabilities, as PyTorch's {@code nn.NLLLoss}: {@code −w_t·x[t]} per sample,
 * reduced. Feed it the output of log-softmax; {@code NLLLoss(logSoftmax(z))} equals {@link CrossEntropyLoss} on z.
 */
public final class NLLLoss implements ClassificationLoss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;

    /** With PyTorch's defaults: no weights, ignore index −100, mean. */
    public NLLLoss() {
        this(null, Functional.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * @param weight      {@code [C]} class weights, or null
     * @param ignoreIndex targets with this value are skipped
     * @param reduction   MEAN (weighted by the targets' class weights), SUM or NONE
     */
    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = Losses.notBatchMean(reduction, "NLLLoss");
    }

    @Override
    public Tensor apply(Tensor logProbabilities, int[] targets) {
        return Functional.nllLoss(logProbabilities, targets, weight, ignoreIndex, reduction);
    }
}
