package dev.nabla.train;

import java.util.List;
import java.util.Map;

/**
 * Workers that train by local SGD ({@link LocalSgd}): each takes {@link #syncEvery()} optimizer steps on its own
 * shard, from the same weights and optimizer state, before the {@link Trainer} averages what they reached. The
 * nabla-spark module's executors are such workers.
 */
public interface LocalSgdWorkers {
    /** The data the workers hold. */
    ShardedData data();

    /** The optimizer steps each worker takes between two averagings. */
    int syncEvery();

    /**
     * Every worker's part of a round, in shard order: from {@code state} (parameters and buffers by name) and
     * {@code optimizer}, the steps of global batches {@code first … first + count − 1} of {@code epoch} on its shard.
     *
     * @param firstStep the number of the round's first step over the whole run, from 1, which keys dropout's masks
     */
    List<LocalSgd.Part> round(int epoch, int first, int count, long firstStep, Map<String, float[]> state,
                              LocalSgd.OptimizerState optimizer);
}
