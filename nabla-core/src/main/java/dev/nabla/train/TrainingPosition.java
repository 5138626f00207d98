package dev.nabla.train;

/**
 * Where a training run stands between two steps, as a checkpoint records it: with the model's, the optimizer's, the
 * schedule's and the model's random generators' states and the {@link History}, enough for {@link Trainer} to
 * continue exactly.
 *
 * @param epoch        the epoch in progress, from 1 (one past the last when the run has ended)
 * @param batchesDone  the batches of that epoch already trained on
 * @param globalStep   the optimisation steps taken in all
 * @param lossSum      the epoch's training losses so far, each times its batch size (for the epoch's mean)
 * @param correct      the epoch's correctly classified training samples so far
 * @param seen         the epoch's training samples so far
 * @param epochSeconds the time spent in the epoch so far
 * @param epochLr      the learning rate of the epoch's first step (NaN before it)
 * @param bestEpoch    with early stopping, the epoch of the lowest validation loss so far (0: none yet)
 * @param bestLoss     that loss (+∞: none yet)
 * @param badEpochs    the epochs since it without enough improvement
 * @param finished     whether the run has ended (all epochs, or stopped early): nothing is left to resume
 */
public record TrainingPosition(int epoch, int batchesDone, long globalStep, double lossSum, long correct, long seen,
                               double epochSeconds, double epochLr, int bestEpoch, double bestLoss, int badEpochs,
                               boolean finished) {
    /** Before the first step. */
    public static final TrainingPosition START = new TrainingPosition(1, 0, 0, 0, 0, 0, 0, Double.NaN, 0,
            Double.POSITIVE_INFINITY, 0, false);

    /** @throws IllegalArgumentException on a position no run can be at */
    public TrainingPosition {
        if (epoch < 1 || batchesDone < 0 || globalStep < 0 || correct < 0 || seen < correct
                || !(epochSeconds >= 0) || Double.isNaN(lossSum) || bestEpoch < 0 || badEpochs < 0
                || Double.isNaN(bestLoss)) {
            throw new IllegalArgumentException("not a training position: epoch " + epoch + ", " + batchesDone
                    + " batches done, step " + globalStep + ", " + correct + " of " + seen + " samples correct, "
                    + epochSeconds + " s, best epoch " + bestEpoch + " (" + bestLoss + "), " + badEpochs
                    + " epochs without improvement");
        }
    }
}
