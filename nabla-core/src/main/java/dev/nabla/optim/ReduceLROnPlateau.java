package dev.nabla.optim;

import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when a monitored value (a validation loss) has not improved for
 * more than {@code patience} epochs (PyTorch's {@code ReduceLROnPlateau}, mode min, relative threshold): better means
 * below best·(1 − threshold); after a cut it waits {@code cooldown} epochs before counting again; the rate never
 * falls below {@code minLr}. Step it with the value: {@link #step(double)}.
 */
public final class ReduceLROnPlateau extends LrScheduler {
    private static final double EPS = 1e-8;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final int cooldown;
    private final double minLr;
    private double best = Double.POSITIVE_INFINITY;
    private int badEpochs;
    private int cooldownLeft;

    /**
     * @param factor    the cut, in (0, 1) (PyTorch's default 0.1)
     * @param patience  epochs without improvement that are tolerated (default 10)
     * @param threshold the relative improvement that counts (default 1e-4)
     * @param cooldown  epochs after a cut before counting again (default 0)
     * @param minLr     the lowest rate (default 0)
     */
    public ReduceLROnPlateau(Optimizer optimizer, double factor, int patience, double threshold, int cooldown,
                             double minLr) {
        super(optimizer);
        if (!(factor > 0 && factor < 1) || patience < 0 || !(threshold >= 0) || cooldown < 0 || !(minLr >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau needs a factor in (0, 1) and non-negative "
                    + "patience, threshold, cooldown and min_lr, got " + factor + ", " + patience + ", " + threshold
                    + ", " + cooldown + ", " + minLr);
        }
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.minLr = minLr;
    }

    /** PyTorch's defaults but for the factor and patience given. */
    public ReduceLROnPlateau(Optimizer optimizer, double factor, int patience) {
        this(optimizer, factor, patience, 1e-4, 0, 0);
    }

    @Override
    public boolean needsMetric() {
        return true;
    }

    /** @throws UnsupportedOperationException always: this schedule steps on a value, {@link #step(double)} */
    @Override
    public void step() {
        throw new UnsupportedOperationException("ReduceLROnPlateau steps on a monitored value: call step(metric)");
    }

    @Override
    public void step(double metric) {
        if (metric < best * (1 - threshold)) {
            best = metric;
            badEpochs = 0;
        } else {
            badEpochs++;
        }
        if (cooldownLeft > 0) {
            cooldownLeft--;
            badEpochs = 0;
        }
        if (badEpochs > patience) {
            double old = optimizer.lr();
            double cut = Math.max(old * factor, minLr);
            if (old - cut > EPS) {
                optimizer.setLr(cut);
            }
            cooldownLeft = cooldown;
            badEpochs = 0;
        }
    }

    @Override
    protected double nextLr(long epoch, double current) {
        return current;
    }

    @Override
    public Map<String, Double> stateDict() {
        Map<String, Double> out = super.stateDict();
        out.put("best", best);
        out.put("num_bad_epochs", (double) badEpochs);
        out.put("cooldown_counter", (double) cooldownLeft);
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Double> state) {
        super.loadStateDict(state);
        best = required(state, "best");
        badEpochs = required(state, "num_bad_epochs").intValue();
        cooldownLeft = required(state, "cooldown_counter").intValue();
    }
}
