package dev.nabla.optim;

import dev.nabla.ops.Checks;

/** Multiplies the learning rate by {@code gamma} every epoch (PyTorch's {@code ExponentialLR}). */
public final class ExponentialLR extends LrScheduler {
    private final double gamma;

    /** @param gamma the factor per epoch, finite and positive */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = Checks.positive("gamma", gamma);
        initialStep();
    }

    @Override
    protected double nextLr(long epoch, double current) {
        return epoch == 0 ? current : current * gamma;
    }

    @Override
    protected double closedFormLr(long epoch) {
        return baseLr * Math.pow(gamma, epoch);
    }
}
