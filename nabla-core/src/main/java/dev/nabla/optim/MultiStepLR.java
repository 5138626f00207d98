package dev.nabla.optim;

import dev.nabla.ops.Checks;
import java.util.List;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch (PyTorch's {@code MultiStepLR}); a
 * milestone listed twice multiplies twice.
 */
public final class MultiStepLR extends LrScheduler {
    private final List<Integer> milestones;
    private final double gamma;

    /**
     * @param milestones the epochs at which the rate drops, each at least 1 (in any order)
     * @param gamma      the factor, finite and positive
     */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        super(optimizer);
        for (int m : milestones) {
            if (m < 1) {
                throw new IllegalArgumentException("MultiStepLR's milestones must be at least 1, got " + milestones);
            }
        }
        this.milestones = List.copyOf(milestones);
        this.gamma = Checks.positive("gamma", gamma);
        initialStep();
    }

    @Override
    protected double nextLr(long epoch, double current) {
        long count = milestones.stream().filter(m -> m == epoch).count();
        return count == 0 ? current : current * Math.pow(gamma, count);
    }

    @Override
    protected double closedFormLr(long epoch) {
        return baseLr * Math.pow(gamma, milestones.stream().filter(m -> m <= epoch).count());
    }
}
