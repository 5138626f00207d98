package dev.nabla.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The metrics of a training run, in order: every step's loss and global gradient norm (before and after clipping),
 * and every epoch's summary.
 */
public final class History {
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private float[] stepLosses = new float[64];
    private double[] gradNorms = new double[64];
    private double[] clippedGradNorms = new double[64];
    private int steps;
    private Evaluation finalTest;
    private int bestEpoch;

    /** An empty history, filled by the trainer as it runs. */
    public History() {
    }

    /**
     * A history with these figures, as a finished run would hold them (to rebuild one that was saved, or to render
     * a report of figures from elsewhere).
     *
     * @param epochs           the per-epoch summaries, oldest first
     * @param stepLosses       every step's loss
     * @param gradNorms        every step's global gradient norm before clipping (same length)
     * @param clippedGradNorms every step's global gradient norm after clipping (same length)
     */
    public static History of(List<EpochMetrics> epochs, float[] stepLosses, double[] gradNorms,
                             double[] clippedGradNorms) {
        if (gradNorms.length != stepLosses.length || clippedGradNorms.length != stepLosses.length) {
            throw new IllegalArgumentException("one loss and two gradient norms per step, got " + stepLosses.length
                    + " losses, " + gradNorms.length + " and " + clippedGradNorms.length + " norms");
        }
        History h = new History();
        epochs.forEach(h::addEpoch);
        for (int i = 0; i < stepLosses.length; i++) {
            h.addStep(stepLosses[i], gradNorms[i], clippedGradNorms[i]);
        }
        return h;
    }

    /** An independent copy, which a resumed run extends. */
    public History copy() {
        History h = of(epochs, stepLosses(), stepGradNorms(), stepClippedGradNorms());
        h.finalTest = finalTest;
        h.bestEpoch = bestEpoch;
        return h;
    }

    /**
     * The test set's evaluation of the weights the run ended with (the best epoch's when it stopped early; without a
     * validation set, the last epoch's test figures), with every score: a regression model's MAE, RMSE and R². Null
     * when no test set was given or the run stopped at its step limit.
     */
    public Evaluation finalTest() {
        return finalTest;
    }

    /** With early stopping, the epoch whose weights the run ended with (the lowest validation loss); else 0. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Sets the figures of the whole run, once it has ended: the trainer's, or a saved history's being rebuilt.
     *
     * @param finalTest the test set's evaluation at the end, or null
     * @param bestEpoch the epoch whose weights the run ended with under early stopping, or 0
     */
    public void setOutcome(Evaluation finalTest, int bestEpoch) {
        this.finalTest = finalTest;
        this.bestEpoch = bestEpoch;
    }

    /** The test accuracy the run ended with: the final evaluation's, else the last epoch's (NaN if none). */
    public double testAccuracy() {
        return finalTest != null ? finalTest.accuracy() : epochs.isEmpty() ? Double.NaN : last().testAccuracy();
    }

    /** The test loss the run ended with: the final evaluation's, else the last epoch's (NaN if none). */
    public double testLoss() {
        return finalTest != null ? finalTest.loss() : epochs.isEmpty() ? Double.NaN : last().testLoss();
    }

    void addStep(float loss, double gradNorm, double clippedGradNorm) {
        if (steps == stepLosses.length) {
            stepLosses = Arrays.copyOf(stepLosses, steps * 2);
            gradNorms = Arrays.copyOf(gradNorms, steps * 2);
            clippedGradNorms = Arrays.copyOf(clippedGradNorms, steps * 2);
        }
        stepLosses[steps] = loss;
        gradNorms[steps] = gradNorm;
        clippedGradNorms[steps] = clippedGradNorm;
        steps++;
    }

    void addEpoch(EpochMetrics metrics) {
        epochs.add(metrics);
    }

    /** The per-epoch summaries, oldest first. */
    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The most recent epoch's summary. */
    public EpochMetrics last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch has finished yet");
        }
        return epochs.get(epochs.size() - 1);
    }

    /** The training loss of every step, in order (a copy). */
    public float[] stepLosses() {
        return Arrays.copyOf(stepLosses, steps);
    }

    /** The global gradient norm of every step before clipping, in order (a copy). */
    public double[] stepGradNorms() {
        return Arrays.copyOf(gradNorms, steps);
    }

    /** The global gradient norm of every step after clipping (equal to {@link #stepGradNorms()} without it). */
    public double[] stepClippedGradNorms() {
        return Arrays.copyOf(clippedGradNorms, steps);
    }

    /** The number of optimisation steps taken. */
    public int steps() {
        return steps;
    }

    /** Total wall time of the training steps, summed over epochs. */
    public double trainingSeconds() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
