package dev.nabla.train;

/**
 * A model's mean loss and accuracy over a dataset.
 *
 * @param loss     mean loss per sample
 * @param accuracy fraction of samples whose highest-scoring class is the label
 * @param samples  number of samples evaluated
 */
public record Evaluation(double loss, double accuracy, int samples) {
}
