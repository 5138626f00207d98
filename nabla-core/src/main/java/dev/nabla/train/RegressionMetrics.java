package dev.nabla.train;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.Standardization;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Tensor;

/**
 * A regression model's errors over a dataset, batch by batch, in the targets' own units: when the dataset's targets
 * were standardized ({@link Dataset#targetScaling()}) each error is scaled back by its column's standard deviation.
 *
 * <ul>
 *   <li>MAE, the mean of |ŷ − y| over every target value, and RMSE, the square root of the mean of (ŷ − y)²;</li>
 *   <li>R² = 1 − Σ(ŷ − y)² / Σ(y − ȳ)² per target column, ȳ the column's mean over the dataset, averaged over the
 *       columns (scikit-learn's {@code r2_score}, {@code uniform_average}). A scaling changes neither sum's ratio.
 *       A constant column scores 1 when predicted exactly and 0 otherwise, as scikit-learn does.</li>
 * </ul>
 *
 * Sums are in double; the target column's spread is accumulated by Welford's update, so large offsets do not cancel.
 */
public final class RegressionMetrics {
    private final int width;
    private final float[] unit;
    private long rows;
    private double absoluteSum;
    private final double[] squaredError;
    private final double[] mean;
    private final double[] spread;

    /** Empty metrics for the targets of {@code data}, a regression dataset. */
    public RegressionMetrics(Dataset data) {
        if (!data.isRegression()) {
            throw new IllegalArgumentException(data + " has class labels: regression metrics need numeric targets");
        }
        width = data.outputs();
        Standardization scaling = data.targetScaling();
        unit = new float[width];
        for (int j = 0; j < width; j++) {
            unit[j] = scaling == null ? 1 : scaling.std(j);
        }
        squaredError = new double[width];
        mean = new double[width];
        spread = new double[width];
    }

    /**
     * Adds a batch: the model's outputs against the batch's targets, both {@code [B, T]}.
     *
     * @throws IllegalArgumentException when the shapes differ
     */
    public void add(Tensor output, Tensor target) {
        if (!output.shape().equals(target.shape()) || target.rank() != 2 || target.dim(1) != width) {
            throw new IllegalArgumentException("regression outputs " + output.shape() + " against targets "
                    + target.shape() + ": both must be [batch, " + width + "]");
        }
        float[] o = output.data();
        float[] t = target.data();
        for (int i = 0; i < t.length; i++) {
            int j = i % width;
            double e = ((double) o[i] - t[i]) * unit[j];
            absoluteSum += Math.abs(e);
            squaredError[j] += e * e;
            if (j == 0) {
                rows++;
            }
            double y = (double) t[i] * unit[j];
            double d = y - mean[j];
            mean[j] += d / rows;
            spread[j] += d * (y - mean[j]);
        }
    }

    /** The mean absolute error over every target value so far. */
    public double mae() {
        return absoluteSum / ((double) rows * width);
    }

    /** The root mean squared error over every target value so far. */
    public double rmse() {
        double sum = 0;
        for (double s : squaredError) {
            sum += s;
        }
        return Math.sqrt(sum / ((double) rows * width));
    }

    /** R², averaged over the target columns. */
    public double r2() {
        double sum = 0;
        for (int j = 0; j < width; j++) {
            sum += spread[j] > 0 ? 1 - squaredError[j] / spread[j] : squaredError[j] == 0 ? 1 : 0;
        }
        return sum / width;
    }

    /** These figures with the mean {@code loss} as an {@link Evaluation}. */
    public Evaluation evaluation(double loss) {
        return new Evaluation(loss, Double.NaN, (int) rows, mae(), rmse(), r2());
    }

    /**
     * Runs {@code model} over {@code data} in evaluation mode without recording a graph, in batches of
     * {@link Trainer#EVAL_BATCH_SIZE}, and returns its mean loss and errors.
     */
    public static Evaluation evaluate(Module model, Dataset data, RegressionLoss loss) {
        return evaluate(model, data, loss, Trainer.EVAL_BATCH_SIZE);
    }

    /** {@link #evaluate(Module, Dataset, RegressionLoss)} in batches of {@code batchSize}. */
    public static Evaluation evaluate(Module model, Dataset data, RegressionLoss loss, int batchSize) {
        boolean wasTraining = model.isTraining();
        model.eval();
        RegressionMetrics metrics = new RegressionMetrics(data);
        double lossSum = 0;
        try (var _ = NoGrad.enter()) {
            for (Batch batch : new DataLoader(data, batchSize)) {
                Tensor output = model.call(batch.x());
                lossSum += (double) loss.apply(output, batch.target()).item() * batch.size();
                metrics.add(output, batch.target());
            }
        } finally {
            model.train(wasTraining);
        }
        return metrics.evaluation(lossSum / data.size());
    }
}
