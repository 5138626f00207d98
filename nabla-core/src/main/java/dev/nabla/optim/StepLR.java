package dev.nabla.optim;

import dev.nabla.ops.Checks;

/**
 * Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs (PyTorch's {@code StepLR}):
 * lr_t = lr_{t−1}·γ when t is a multiple of the step size, else lr_{t−1}.
 */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    /**
     * @param stepSize epochs between decays, at least 1
     * @param gamma    the factor, finite and positive (PyTorch's default 0.1)
     */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR's step size must be at least 1, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = Checks.positive("gamma", gamma);
        initialStep();
    }

    @Override
    protected double nextLr(long epoch, double current) {
        return epoch == 0 || epoch % stepSize != 0 ? current : current * gamma;
    }

    @Override
    protected double closedFormLr(long epoch) {
        return baseLr * Math.pow(gamma, epoch / stepSize);
    }
}
