package dev.nabla.train;

/**
 * Where a training run stands between two steps, as a checkpoint records it: with the model's, the optimizer's and
 * the model's random generators' states and the {@link History}, enough for {@link Trainer} to continue exactly.
 *
 * @param epoch        the epoch in progress, from 1 (one past the last when the run has ended)
 * @param batchesDone  the batches of that epoch already trained on
 * @param globalStep   the optimisation steps taken in all
 * @param lossSum      the epoch's training losses so far, each times its batch size (for the epoch's mean)
 * @param correct      the epoch's correctly classified training samples so far
 * @param seen         the epoch's training samples so far
 * @param epochSeconds the time spent in the epoch so far
 */
public record TrainingPosition(int epoch, int batchesDone, long globalStep, double lossSum, long correct, long seen,
                               double epochSeconds) {
    /** Before the first step. */
    public static final TrainingPosition START = new TrainingPosition(1, 0, 0, 0, 0, 0, 0);

    /** @throws IllegalArgumentException on a position no run can be at */
    public TrainingPosition {
        if (epoch < 1 || batchesDone < 0 || globalStep < 0 || correct < 0 || seen < correct
                || !(epochSeconds >= 0) || Double.isNaN(lossSum)) {
            throw new IllegalArgumentException("not a training position: epoch " + epoch + ", " + batchesDone
                    + " batches done, step " + globalStep + ", " + correct + " of " + seen + " samples correct, "
                    + epochSeconds + " s");
        }
    }
}
