package dev.nabla.train;

import dev.nabla.data.Dataset;
import dev.nabla.data.ShardedLoader;

/**
 * What the {@link Trainer} needs to know of training data that workers hold in shards ({@link ShardWorkers},
 * {@link LocalSgdWorkers}), to train through them without holding it.
 *
 * @param name            the data's name, for messages
 * @param samples         the samples in all shards
 * @param regression      true when the data has numeric targets, false for class labels
 * @param outputs         the number of classes, or of targets for regression
 * @param batchesPerEpoch the global batches of an epoch
 */
public record ShardedData(String name, int samples, boolean regression, int outputs, int batchesPerEpoch) {
    /** {@code data} cut into {@code shards} shards ({@link ShardedLoader}) and walked in batches of {@code batchSize}. */
    public static ShardedData of(Dataset data, int batchSize, int shards) {
        return new ShardedData(data.name(), data.size(), data.isRegression(), data.outputs(),
                ShardedLoader.numBatches(data.size(), batchSize, shards));
    }
}
