package dev.nabla.optim;

import dev.nabla.ops.Checks;

/**
 * Anneals the learning rate from its base to {@code etaMin} along half a cosine over {@code tMax} epochs (PyTorch's
 * {@code CosineAnnealingLR}, SGDR without restarts): η_t = η_min + (η_0 − η_min)(1 + cos(π t / T_max))/2, computed
 * as PyTorch does, each rate from the one before, so that past T_max it climbs back along the cosine.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final int tMax;
    private final double etaMin;

    /**
     * @param tMax   epochs of the half period, at least 1
     * @param etaMin the lowest rate, finite and ≥ 0 (PyTorch's default 0)
     */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR's T_max must be at least 1, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = Checks.nonNegative("eta_min", etaMin);
        initialStep();
    }

    @Override
    protected double nextLr(long epoch, double current) {
        if (epoch == 0) {
            return baseLr;
        }
        if ((epoch - 1 - tMax) % (2L * tMax) == 0) {
            return current + (baseLr - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.cos(Math.PI * epoch / tMax)) / (1 + Math.cos(Math.PI * (epoch - 1) / tMax))
                * (current - etaMin) + etaMin;
    }

    @Override
    protected double closedFormLr(long epoch) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
