package dev.nabla.optim;

/**
 * The 1cycle policy (Smith and Topin 2018; PyTorch's {@code OneCycleLR} with {@code cycle_momentum=False}): over
 * {@code totalSteps} optimisation steps the rate rises from maxLr/divFactor to maxLr along half a cosine during the
 * first {@code pctStart} of them, then falls to maxLr/(divFactor·finalDivFactor). A per-step schedule: step it after
 * every optimisation step. It computes each rate afresh, as PyTorch does.
 */
public final class OneCycleLR extends LrScheduler {
    private final double maxLr;
    private final int totalSteps;
    private final double initialLr;
    private final double minLr;
    private final double peakStep;

    /**
     * @param maxLr          the peak rate
     * @param totalSteps     the steps of the whole cycle, at least 2
     * @param pctStart       the part of it spent rising, in (0, 1) (PyTorch's default 0.3)
     * @param divFactor      maxLr over the starting rate (default 25)
     * @param finalDivFactor the starting rate over the final one (default 1e4)
     */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, double divFactor,
                      double finalDivFactor) {
        super(optimizer);
        if (!(maxLr > 0) || totalSteps < 2 || !(pctStart > 0 && pctStart < 1) || !(divFactor > 0)
                || !(finalDivFactor > 0)) {
            throw new IllegalArgumentException("OneCycleLR needs a positive max rate, at least 2 steps, a start "
                    + "fraction in (0, 1) and positive division factors, got " + maxLr + ", " + totalSteps + ", "
                    + pctStart + ", " + divFactor + ", " + finalDivFactor);
        }
        this.maxLr = maxLr;
        this.totalSteps = totalSteps;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
        this.peakStep = pctStart * totalSteps - 1;
        initialStep();
    }

    /** PyTorch's defaults: 30 % rising, from maxLr/25, down to maxLr/25e4. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, 25, 1e4);
    }

    @Override
    protected double nextLr(long step, double current) {
        if (step > totalSteps) {
            throw new IllegalStateException("OneCycleLR stepped " + step + " times, beyond its " + totalSteps
                    + " steps: make the cycle as long as the training");
        }
        if (step <= peakStep) {
            return anneal(initialLr, maxLr, step / peakStep);
        }
        return anneal(maxLr, minLr, (step - peakStep) / (totalSteps - 1 - peakStep));
    }

    private static double anneal(double start, double end, double pct) {
        return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
    }
}
