package dev.nabla.train;

import java.util.List;

/**
 * Whoever computes the shard parts of a data-parallel step: this machine, one shard after the other
 * ({@link Trainer.Builder#shards(int)}), or a cluster's executors (the {@code nabla-spark} module). The
 * {@link Trainer} then adds the parts ({@link ShardGradients#combine}), clips, steps the optimizer and does everything
 * else it does for a batch, so a run differs only in where the parts were computed, not in its result.
 *
 * <p>The trainer asks for the batches of an epoch in order, from the first or from where a resumed run stopped, and
 * the epochs in order; a worker keeps its shard's order of each epoch as a {@link dev.nabla.data.ShardedLoader} does.
 */
public interface ShardWorkers {
    /** The data the workers hold. */
    ShardedData data();

    /**
     * Every shard's part of global batch {@code batch} (0-based) of {@code epoch} (1-based), computed from the weights
     * and buffers the model has now, in shard order.
     *
     * @param globalStep the step counted over the whole run, from 1, which keys dropout's masks
     */
    List<ShardGradients> compute(int epoch, int batch, long globalStep);
}
