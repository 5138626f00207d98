package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.data.ShardedLoader;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --shards} (a picocli mixin): data-parallel training, each batch cut into shards whose gradient sums are
 * added in shard order, here or (in {@code nabla-spark train}) on a cluster's executors, with the same result.
 */
public final class ShardsOption {
    @Option(names = "--shards", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Train data-parallel: cut the training data into N fixed shards (sample i to shard i mod N, "
                    + "each shuffled on its own), make every batch of one batch-size/N part of each, and add the "
                    + "parts' gradient sums in shard order. BatchNorm normalises each part by its own statistics. "
                    + "The weights are bit for bit those of nabla-spark train with as many shards, on any number of "
                    + "executors. The batch size must be a multiple of N. Default: off (one batch at a time).")
    Integer shards;

    @Option(names = "--sync-batchnorm",
            description = "With --shards, normalise every part of a batch by the whole batch's statistics (PyTorch's "
                    + "SyncBatchNorm): the gradients of one pass over the whole batch, at the cost of 2L + 1 passes "
                    + "per step for L BatchNorm layers. Default: each part by its own statistics.")
    boolean sync;

    /** Whether the BatchNorm layers share their statistics across the shards. */
    public boolean syncBatchNorm() {
        return sync;
    }

    /** The number of shards asked for, or 0 when off. */
    public int count() {
        return shards == null ? 0 : shards;
    }

    /**
     * Why these shards cannot train {@code samples} samples in batches of {@code batchSize}, or null when they can.
     *
     * @param batchNorm whether the model normalises each shard's part by its statistics, which needs two samples
     */
    String refusal(int batchSize, int accumulate, int samples, boolean batchNorm) {
        if (shards == null) {
            return sync ? "--sync-batchnorm shares BatchNorm's statistics across shards: add --shards N" : null;
        }
        if (batchSize % shards != 0) {
            return String.format(Locale.ROOT, "--batch-size %d cannot be cut into --shards %d equal parts: give a "
                    + "batch size that is a multiple of the shards, e.g. %d", batchSize, shards,
                    Math.max(1, batchSize / shards) * shards);
        }
        if (accumulate > 1) {
            return "--accumulate and --shards do not go together: a data-parallel batch is already one large batch; "
                    + "give a larger --batch-size instead";
        }
        if (shards > samples) {
            return String.format(Locale.ROOT, "--shards %d is more than the %,d training samples: give at most %d",
                    shards, samples, samples);
        }
        int part = batchSize / shards;
        int small = samples / shards;   // the size of the shards from samples % shards on; those before have one more
        boolean single = part == 1 || small % part == 1 || samples % shards != 0 && (small + 1) % part == 1;
        if (batchNorm && single) {
            return String.format(Locale.ROOT, "--batchnorm normalises each shard's part of a batch by its own "
                    + "statistics, but --batch-size %d in --shards %d leaves a part with one sample, whose variance is "
                    + "undefined: choose another batch size", batchSize, shards);
        }
        return null;
    }

    /** The optimizer steps of an epoch of {@code samples} in batches of {@code batchSize}, with these shards or not. */
    int batches(int samples, int batchSize) {
        return shards == null ? (samples + batchSize - 1) / batchSize
                : ShardedLoader.numBatches(samples, batchSize, shards);
    }
}
