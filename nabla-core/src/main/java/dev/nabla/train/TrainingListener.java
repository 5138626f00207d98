package dev.nabla.train;

/**
 * Callbacks from {@link Trainer} as training runs: progress displays, logging, checkpoints and diagnostics attach
 * here. All methods are optional and are called on the training thread.
 */
public interface TrainingListener {
    /** Before the first step. */
    default void onStart(int epochs, int stepsPerEpoch, int trainSamples) {
    }

    /** After every optimisation step. */
    default void onStep(StepMetrics step) {
    }

    /** After an epoch's training and evaluation. */
    default void onEpochEnd(EpochMetrics epoch) {
    }

    /** After the last epoch. */
    default void onEnd(History history) {
    }
}
