package dev.nabla.optim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Changes an optimizer's learning rate as training goes, PyTorch's {@code torch.optim.lr_scheduler}: each
 * {@link #step()} (after each epoch, or after each optimisation step for the per-step schedules) advances the
 * schedule by one and sets the optimizer's rate. As in PyTorch, constructing a schedule is its step 0: it sets the
 * rate for the first epoch (a warm-up starts low).
 *
 * <p>The rates follow PyTorch 1.13's formulas to the letter, including their recursive ("chainable") form, which
 * multiplies the current rate by a factor rather than computing it afresh, so the rates agree with PyTorch's to the
 * last bits ({@code schedules.py} writes the fixtures). The base rate of every schedule on an optimizer is the rate
 * the optimizer had when its first schedule was made (PyTorch's {@code initial_lr}).
 *
 * <p>{@link #stateDict()} and {@link #loadStateDict} save and restore the position, so that a resumed run continues
 * the same schedule.
 */
public abstract class LrScheduler {
    /** The optimizer whose rate this schedule sets. */
    protected final Optimizer optimizer;
    /** The rate the schedule starts from (PyTorch's {@code base_lrs[0]}). */
    protected final double baseLr;
    private long lastEpoch;

    /** Attaches to {@code optimizer}; the subclass's constructor then calls {@link #initialStep()}. */
    protected LrScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLr = optimizer.initialLr();
    }

    /** Step 0, which sets the first epoch's rate: for each concrete schedule's constructor to call last. */
    protected final void initialStep() {
        lastEpoch = -1;
        step();
    }

    /** Advances the schedule by one and sets the optimizer's learning rate for what follows. */
    public void step() {
        lastEpoch++;
        optimizer.setLr(nextLr(lastEpoch, optimizer.lr()));
    }

    /**
     * Advances the schedule after an epoch whose monitored value (a validation loss) was {@code metric}: a schedule
     * that watches a value ({@link #needsMetric()}) uses it, the others ignore it and {@link #step()}.
     */
    public void step(double metric) {
        step();
    }

    /** True for a schedule that steps on a monitored value ({@link ReduceLROnPlateau}). */
    public boolean needsMetric() {
        return false;
    }

    /**
     * The rate for step {@code epoch} of the schedule, from the current one (PyTorch's {@code get_lr}).
     *
     * @param epoch   the step the rate is for, from 0 (the construction)
     * @param current the optimizer's rate now
     */
    protected abstract double nextLr(long epoch, double current);

    /**
     * The rate at step {@code epoch} computed afresh (PyTorch's {@code _get_closed_form_lr}), which
     * {@link SequentialLR} uses when it hands over to this schedule.
     */
    protected double closedFormLr(long epoch) {
        return nextLr(epoch, optimizer.lr());
    }

    /** Takes step 0 again from the optimizer's current rate (PyTorch's {@code _initial_step}, as SequentialLR does). */
    void restartFromScratch() {
        initialStep();
    }

    /** Restarts the schedule at step 0 with its closed-form rate (PyTorch's {@code step(0)}). */
    void restart() {
        lastEpoch = 0;
        optimizer.setLr(closedFormLr(0));
    }

    /** The number of steps taken since construction (PyTorch's {@code last_epoch}). */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** The optimizer's current rate: the one the next epoch or step uses. */
    public double lr() {
        return optimizer.lr();
    }

    /** The schedule's position and any state of its own (a plateau schedule's best value), by name. */
    public Map<String, Double> stateDict() {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("last_epoch", (double) lastEpoch);
        return out;
    }

    /**
     * Sets the schedule's position from {@link #stateDict()} of the same schedule (the optimizer's rate comes back
     * with the optimizer's own state).
     *
     * @throws IllegalArgumentException when an entry is missing
     */
    public void loadStateDict(Map<String, Double> state) {
        lastEpoch = required(state, "last_epoch").longValue();
    }

    /** The entry {@code name} of a saved state, or a clear refusal. */
    protected static Double required(Map<String, Double> state, String name) {
        Double v = state.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the schedule's saved state has no '" + name + "': it was saved from "
                    + "another schedule");
        }
        return v;
    }
}
