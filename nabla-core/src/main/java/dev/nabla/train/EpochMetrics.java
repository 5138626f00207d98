package dev.nabla.train;

/**
 * What one epoch measured: the training figures are averaged over the epoch's batches as they were trained
 * (so the model changed during the epoch); the test figures come from a full pass in evaluation mode after it.
 *
 * @param epoch             1-based epoch
 * @param trainLoss         mean training loss over the epoch's samples
 * @param trainAccuracy     fraction of training samples predicted correctly during the epoch
 * @param testLoss          mean loss on the test set
 * @param testAccuracy      fraction of the test set predicted correctly
 * @param seconds           wall time of the epoch's training steps (without evaluation)
 * @param samplesPerSecond  training samples processed per second
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                           double seconds, double samplesPerSecond) {
}
