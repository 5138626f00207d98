package dev.nabla.train;

/**
 * A model's mean loss and its scores over a dataset: the accuracy of a classifier, or the errors of a regression
 * model in its targets' own units ({@link RegressionMetrics}); the scores of the other kind are NaN.
 *
 * @param loss     mean loss per sample
 * @param accuracy fraction of samples whose highest-scoring class is the label (NaN for regression)
 * @param samples  number of samples evaluated
 * @param mae      mean absolute error over every target value (NaN for classification)
 * @param rmse     root mean squared error over every target value (NaN for classification)
 * @param r2       coefficient of determination, averaged over the target columns (NaN for classification)
 */
public record Evaluation(double loss, double accuracy, int samples, double mae, double rmse, double r2) {
    /** A classifier's evaluation. */
    public Evaluation(double loss, double accuracy, int samples) {
        this(loss, accuracy, samples, Double.NaN, Double.NaN, Double.NaN);
    }
}
