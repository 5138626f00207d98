package dev.nabla.optim;

/**
 * Scales the learning rate by a factor that moves linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} steps, then stays (PyTorch's {@code LinearLR}): the usual warm-up, from a small rate to the
 * base one.
 */
public final class LinearLR extends LrScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /**
     * @param startFactor the factor at step 0, in (0, 1]
     * @param endFactor   the factor from step {@code totalIters} on, in [0, 1]
     * @param totalIters  the steps of the ramp, at least 1
     */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1) || !(endFactor >= 0 && endFactor <= 1) || totalIters < 1) {
            throw new IllegalArgumentException("LinearLR needs a start factor in (0, 1], an end factor in [0, 1] and "
                    + "at least 1 step, got " + startFactor + ", " + endFactor + ", " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double nextLr(long epoch, double current) {
        if (epoch == 0) {
            return current * startFactor;
        }
        if (epoch > totalIters) {
            return current;
        }
        return current * (1.0 + (endFactor - startFactor)
                / (totalIters * startFactor + (epoch - 1) * (endFactor - startFactor)));
    }

    @Override
    protected double closedFormLr(long epoch) {
        return baseLr * (startFactor + (endFactor - startFactor) * Math.min(totalIters, epoch) / totalIters);
    }
}
