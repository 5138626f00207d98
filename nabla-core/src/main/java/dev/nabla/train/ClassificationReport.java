package dev.nabla.train;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.loss.ClassificationLoss;
import dev.nabla.nn.Module;
import dev.nabla.tensor.StepMemory;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Objects;

/**
 * How a classifier does on a dataset, class by class: the mean loss, and the confusion matrix, from which come the
 * accuracy and each class's precision (of the samples predicted as the class, the part that are) and recall (of
 * the samples of the class, the part predicted as it). What {@code nabla eval} prints.
 *
 * @param loss      the mean loss per sample
 * @param confusion {@code confusion[t][p]}: the samples of true class t predicted as class p
 * @param classes   the classes' names, index by index
 * @param mistakes  the first {@value #MISTAKES_KEPT} misclassified samples, in the data's order
 */
public record ClassificationReport(double loss, long[][] confusion, List<String> classes, List<Mistake> mistakes) {
    /** How many misclassified samples a report keeps, to show. */
    public static final int MISTAKES_KEPT = 48;

    /**
     * A misclassified sample.
     *
     * @param sample    its index in the data
     * @param label     its class
     * @param predicted the class the model gave it
     */
    public record Mistake(int sample, int label, int predicted) {
    }

    /** A report without mistakes to show. */
    public ClassificationReport(double loss, long[][] confusion, List<String> classes) {
        this(loss, confusion, classes, List.of());
    }

    public ClassificationReport {
        classes = List.copyOf(classes);
        mistakes = List.copyOf(mistakes);
        if (confusion.length != classes.size()) {
            throw new IllegalArgumentException(confusion.length + " rows of the confusion matrix for "
                    + classes.size() + " classes");
        }
    }

    /**
     * Runs {@code model} in evaluation mode, without recording a graph, over {@code data} in batches of
     * {@link Trainer#EVAL_BATCH_SIZE} and tallies its predictions (the highest-scoring class) against the labels.
     */
    public static ClassificationReport of(Module model, Dataset data, ClassificationLoss loss) {
        return of(model, data, loss, Trainer.EVAL_BATCH_SIZE);
    }

    /** {@link #of(Module, Dataset, ClassificationLoss)} in batches of {@code batchSize}. */
    public static ClassificationReport of(Module model, Dataset data, ClassificationLoss loss, int batchSize) {
        return of(model, data, loss, batchSize, new StepMemory());
    }

    /**
     * {@link #of(Module, Dataset, ClassificationLoss, int)}, each batch a step of {@code memory}, which reuses the
     * previous batch's activations (and, kept by a trainer from epoch to epoch, the last evaluation's).
     */
    static ClassificationReport of(Module model, Dataset data, ClassificationLoss loss, int batchSize,
                                   StepMemory memory) {
        Objects.requireNonNull(loss, "loss");
        int k = data.numClasses();
        long[][] confusion = new long[k][k];
        double lossSum = 0;
        List<Mistake> mistakes = new java.util.ArrayList<>();
        int seen = 0;
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var _ = NoGrad.enter()) {
            for (Batch batch : new DataLoader(data, batchSize)) {
                try (var step = memory.enter()) {
                    lossSum += add(model.call(batch.x()), batch, loss, k, data, confusion, mistakes, seen);
                }
                seen += batch.y().length;
            }
        } finally {
            model.train(wasTraining);
        }
        return new ClassificationReport(lossSum / data.size(), confusion, data.classNames(), mistakes);
    }

    /**
     * Adds one batch's predictions to the confusion matrix and its first mistakes (samples numbered from
     * {@code seen}) to the list; returns the batch's summed loss.
     */
    private static double add(Tensor logits, Batch batch, ClassificationLoss loss, int k, Dataset data,
                              long[][] confusion, List<Mistake> mistakes, int seen) {
        if (logits.rank() != 2 || logits.dim(1) != k) {
            throw new IllegalArgumentException("the model gives " + logits.shape() + " scores for a batch of "
                    + batch.y().length + ", but " + data.name() + " has " + k + " classes: evaluate it on data "
                    + "with the classes it was trained on");
        }
        int[] predicted = logits.argmax(-1);
        for (int i = 0; i < predicted.length; i++) {
            confusion[batch.y()[i]][predicted[i]]++;
            if (predicted[i] != batch.y()[i] && mistakes.size() < MISTAKES_KEPT) {
                mistakes.add(new Mistake(seen + i, batch.y()[i], predicted[i]));
            }
        }
        return (double) loss.apply(logits, batch.y()).item() * batch.y().length;
    }

    /** The number of samples. */
    public long samples() {
        long n = 0;
        for (long[] row : confusion) {
            for (long c : row) {
                n += c;
            }
        }
        return n;
    }

    /** The fraction of samples predicted as their class. */
    public double accuracy() {
        long right = 0;
        for (int c = 0; c < confusion.length; c++) {
            right += confusion[c][c];
        }
        return (double) right / samples();
    }

    /** Of the samples predicted as class {@code c}, the fraction that are of it; NaN when none was predicted so. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) confusion[c][c] / predicted;
    }

    /** Of the samples of class {@code c}, the fraction predicted as it; NaN when the data has none. */
    public double recall(int c) {
        long actual = support(c);
        return actual == 0 ? Double.NaN : (double) confusion[c][c] / actual;
    }

    /** The number of samples of class {@code c}. */
    public long support(int c) {
        long n = 0;
        for (long v : confusion[c]) {
            n += v;
        }
        return n;
    }
}
