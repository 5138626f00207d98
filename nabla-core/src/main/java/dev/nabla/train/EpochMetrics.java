package dev.nabla.train;

/**
 * What one epoch measured: the training figures are averaged over the epoch's batches as they were trained
 * (so the model changed during the epoch); the validation and test figures come from full passes in evaluation mode
 * after it. With a validation set the test set is evaluated only once, at the end ({@link History#finalTest()}), and
 * each epoch's test figures are NaN.
 *
 * @param epoch             1-based epoch
 * @param trainLoss         mean training loss over the epoch's samples
 * @param trainAccuracy     fraction of training samples predicted correctly during the epoch
 * @param testLoss          mean loss on the test set (NaN when not evaluated)
 * @param testAccuracy      fraction of the test set predicted correctly (NaN when not evaluated)
 * @param seconds           wall time of the epoch's training steps (without evaluation)
 * @param samplesPerSecond  training samples processed per second
 * @param lr                the learning rate of the epoch's first step
 * @param valLoss           mean loss on the validation set (NaN without one)
 * @param valAccuracy       fraction of the validation set predicted correctly (NaN without one)
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                           double seconds, double samplesPerSecond, double lr, double valLoss, double valAccuracy) {
    /** An epoch without validation, as runs without a validation set have them. */
    public EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        double seconds, double samplesPerSecond, double lr) {
        this(epoch, trainLoss, trainAccuracy, testLoss, testAccuracy, seconds, samplesPerSecond, lr, Double.NaN,
                Double.NaN);
    }
}
