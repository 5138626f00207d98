package dev.nabla.train;

/** Thrown when the training loss stops being a finite number, so that a diverged run stops instead of training on NaN. */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TrainingDivergedException(String message) {
        super(message);
    }
}
