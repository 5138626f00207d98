package dev.nabla.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The metrics of a training run: every step's loss and every epoch's summary, in order. */
public final class History {
    private final List<EpochMetrics> epochs = new ArrayList<>();
    private float[] stepLosses = new float[64];
    private int steps;

    void addStep(float loss) {
        if (steps == stepLosses.length) {
            stepLosses = java.util.Arrays.copyOf(stepLosses, steps * 2);
        }
        stepLosses[steps++] = loss;
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
        return java.util.Arrays.copyOf(stepLosses, steps);
    }

    /** Total wall time of the training steps, summed over epochs. */
    public double trainingSeconds() {
        return epochs.stream().mapToDouble(EpochMetrics::seconds).sum();
    }
}
