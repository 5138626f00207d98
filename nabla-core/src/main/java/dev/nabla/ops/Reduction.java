package dev.nabla.ops;

/**
 * How a loss turns its per-element values into the result, as PyTorch's {@code reduction} argument.
 */
public enum Reduction {
    /** No reduction: one loss per sample (per element for element-wise losses), in the targets' shape. */
    NONE,
    /**
     * The mean. For cross-entropy and NLL with class weights, the weighted mean: the sum divided by the summed
     * weights of the counted (not ignored) targets.
     */
    MEAN,
    /** The sum. */
    SUM,
    /**
     * The sum divided by the batch size (the first dimension): the mathematically correct KL divergence per
     * sample. Only {@code KLDivLoss} accepts it.
     */
    BATCHMEAN
}
