package dev.nabla.train;

/**
 * Callbacks from {@link Trainer} as training runs: progress displays, logging, checkpoints and diagnostics attach
 * here. All methods are optional and are called on the training thread.
 */
public interface TrainingListener {
    /** Before the first step. */
    default void onStart(int epochs, int stepsPerEpoch, int trainSamples) {
    }

    /**
     * After {@code loss.backward()}, before clipping and the optimizer step: every parameter's {@code grad()} holds
     * this batch's gradient as computed and the parameters still hold their values from before the step. A listener
     * may read both here (gradient norms, NaN detection, a copy of the weights to measure the update); it should
     * not change them (configure clipping on the trainer instead).
     *
     * @param globalStep the 1-based step counted over the whole run, as {@link StepMetrics#globalStep()}
     */
    default void afterBackward(long globalStep) {
    }

    /** After every optimisation step: the parameters hold their updated values. */
    default void onStep(StepMetrics step) {
    }

    /** After an epoch's training and evaluation. */
    default void onEpochEnd(EpochMetrics epoch) {
    }

    /** After the last epoch. */
    default void onEnd(History history) {
    }
}
