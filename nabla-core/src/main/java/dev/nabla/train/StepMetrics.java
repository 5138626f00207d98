package dev.nabla.train;

/**
 * What one optimisation step measured.
 *
 * @param epoch          1-based epoch
 * @param step           1-based step within the epoch
 * @param stepsPerEpoch  number of steps in an epoch
 * @param globalStep     1-based step counted over the whole run
 * @param loss           the batch's training loss
 * @param samplesSeen    samples processed so far in this epoch
 * @param epochSeconds   seconds since the epoch started
 * @param gradNorm       the global L2 norm of all parameter gradients after backward, before clipping (NaN when
 *                       not measured)
 * @param clippedGradNorm the global norm the optimizer step used: after clipping, or {@code gradNorm} without it
 */
public record StepMetrics(int epoch, int step, int stepsPerEpoch, long globalStep, float loss, long samplesSeen,
                          double epochSeconds, double gradNorm, double clippedGradNorm) {
    /** Metrics without gradient norms (both NaN). */
    public StepMetrics(int epoch, int step, int stepsPerEpoch, long globalStep, float loss, long samplesSeen,
                       double epochSeconds) {
        this(epoch, step, stepsPerEpoch, globalStep, loss, samplesSeen, epochSeconds, Double.NaN, Double.NaN);
    }

    /** Training throughput of this epoch so far. */
    public double samplesPerSecond() {
        return epochSeconds > 0 ? samplesSeen / epochSeconds : 0;
    }
}
