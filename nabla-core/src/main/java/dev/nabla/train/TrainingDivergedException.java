package dev.nabla.train;

/**
 * Thrown when the model's output, the training loss or a gradient stops being finite, so that a diverged run stops
 * instead of training on NaN. The message names the step and where the value appeared.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long globalStep;
    private final transient History history;

    TrainingDivergedException(String message, long globalStep, History history) {
        super(message);
        this.globalStep = globalStep;
        this.history = history;
    }

    /** The metrics of the steps and epochs completed before the run stopped. */
    public History history() {
        return history;
    }

    /** The 1-based step, counted over the whole run, at which the value turned non-finite. */
    public long globalStep() {
        return globalStep;
    }
}
