package dev.nabla.train;

/**
 * Training data cut into shards that workers hold: what the {@link Trainer} needs to know of it to train through them
 * ({@link ShardWorkers}, {@link LocalSgdWorkers}) without holding it.
 */
public interface ShardedData {
    /** The training data's name, for messages. */
    String name();

    /** The training samples in all shards. */
    int samples();

    /** True when the data has numeric targets (regression), false for class labels. */
    boolean isRegression();

    /** The number of classes, or of targets for regression. */
    int outputs();

    /** Global batches per epoch. */
    int batchesPerEpoch();
}
