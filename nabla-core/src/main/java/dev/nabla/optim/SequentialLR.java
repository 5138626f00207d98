package dev.nabla.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedules one after another, switching at the milestones (PyTorch's {@code SequentialLR}): e.g. a
 * {@link LinearLR} warm-up for 5 epochs, then {@link CosineAnnealingLR}. At a milestone the next schedule starts
 * afresh from its step 0.
 */
public final class SequentialLR extends LrScheduler {
    private final List<LrScheduler> schedules;
    private final List<Integer> milestones;
    private long epoch;

    /**
     * @param schedules  the schedules, all on {@code optimizer}, in order (none on a monitored value)
     * @param milestones the epochs at which each schedule after the first takes over, increasing, one fewer than
     *                   the schedules
     */
    public SequentialLR(Optimizer optimizer, List<? extends LrScheduler> schedules, List<Integer> milestones) {
        super(optimizer);
        if (schedules.isEmpty() || milestones.size() != schedules.size() - 1) {
            throw new IllegalArgumentException("SequentialLR needs one milestone fewer than schedules, got "
                    + schedules.size() + " schedules and milestones " + milestones);
        }
        for (int i = 0; i < schedules.size(); i++) {
            if (schedules.get(i).optimizer != optimizer || schedules.get(i).needsMetric()) {
                throw new IllegalArgumentException("SequentialLR's schedule " + i + " must set this optimizer's rate "
                        + "by epoch, not by a monitored value");
            }
            if (i > 0 && milestones.get(i - 1) <= (i > 1 ? milestones.get(i - 2) : 0)) {
                throw new IllegalArgumentException("SequentialLR's milestones must increase from 1, got " + milestones);
            }
        }
        this.schedules = List.copyOf(schedules);
        this.milestones = List.copyOf(milestones);
        // as PyTorch: back to the base rate, then the first schedule's step 0 again
        optimizer.setLr(baseLr);
        this.schedules.get(0).restartFromScratch();
    }

    @Override
    public void step() {
        epoch++;
        int index = 0;
        while (index < milestones.size() && milestones.get(index) <= epoch) {
            index++;
        }
        LrScheduler current = schedules.get(index);
        if (index > 0 && milestones.get(index - 1) == epoch) {
            current.restart();
        } else {
            current.step();
        }
    }

    @Override
    public long lastEpoch() {
        return epoch;
    }

    @Override
    protected double nextLr(long epoch, double current) {
        return current;
    }

    @Override
    public Map<String, Double> stateDict() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("last_epoch", (double) epoch);
        for (int i = 0; i < schedules.size(); i++) {
            int k = i;
            schedules.get(i).stateDict().forEach((name, v) -> out.put(k + "." + name, v));
        }
        return out;
    }

    @Override
    public void loadStateDict(Map<String, Double> state) {
        epoch = required(state, "last_epoch").longValue();
        for (int i = 0; i < schedules.size(); i++) {
            Map<String, Double> own = new LinkedHashMap<>();
            String prefix = i + ".";
            state.forEach((name, v) -> {
                if (name.startsWith(prefix)) {
                    own.put(name.substring(prefix.length()), v);
                }
            });
            schedules.get(i).loadStateDict(own);
        }
    }
}
