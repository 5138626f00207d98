package dev.nabla.spark;

import dev.nabla.optim.OptimizerFactory;
import dev.nabla.train.LocalSgd;
import dev.nabla.train.LocalSgdWorkers;
import dev.nabla.train.ShardedData;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.broadcast.Broadcast;

/**
 * Local SGD on Spark's executors ({@link LocalSgd}): each round is one job in which every shard's task takes
 * {@code syncEvery} optimizer steps on its shard from the broadcast weights and optimizer state, and returns what it
 * reached; the {@link dev.nabla.train.Trainer} averages the parts in shard order. One job per K steps instead of one
 * per step: faster where the job costs more than the steps, and not equal to synchronous training (nor to one
 * machine). The data, its shards and the executors' caches are those of the {@link SparkShards} it is made from.
 */
public final class SparkLocalSgd implements LocalSgdWorkers {
    private final SparkShards shards;
    private final int syncEvery;
    private final OptimizerFactory optimizers;
    private final Double clipValue;
    private final Double clipNorm;
    private Broadcast<RoundStart> start;

    /** The state a round starts from, broadcast to its tasks. */
    record RoundStart(Map<String, float[]> state, LocalSgd.OptimizerState optimizer) implements java.io.Serializable {
    }

    /**
     * @param shards     the data on the executors, and the model's spec
     * @param syncEvery  the optimizer steps each task takes between two averagings, at least 1
     * @param optimizers how each task makes the optimizer of its copy of the model (the driver's kind and options)
     * @param clipValue  clamp each gradient entry to this at every local step, or null
     * @param clipNorm   cap the global gradient norm at this at every local step, or null
     */
    public SparkLocalSgd(SparkShards shards, int syncEvery, OptimizerFactory optimizers, Double clipValue,
                         Double clipNorm) {
        if (syncEvery < 1) {
            throw new IllegalArgumentException("local SGD averages after at least 1 step, got " + syncEvery);
        }
        this.shards = Objects.requireNonNull(shards, "shards");
        this.syncEvery = syncEvery;
        this.optimizers = Objects.requireNonNull(optimizers, "optimizers");
        this.clipValue = clipValue;
        this.clipNorm = clipNorm;
    }

    @Override
    public ShardedData data() {
        return shards.data();
    }

    @Override
    public int syncEvery() {
        return syncEvery;
    }

    @Override
    public List<LocalSgd.Part> round(int epoch, int first, int count, long firstStep, Map<String, float[]> state,
                                     LocalSgd.OptimizerState optimizer) {
        if (start != null) {
            start.destroy(false);
        }
        start = shards.spark().broadcast(new RoundStart(state, optimizer));
        List<LocalSgd.Part> parts = shards.rdd().mapPartitions(new LocalSgdStep(shards.run(), shards.spec(), start,
                epoch, first, count, firstStep, shards.batchSize(), shards.shards(), shards.seed(), optimizers,
                clipValue, clipNorm, shards.regressionLoss())).collect();
        if (parts.size() != shards.shards()) {
            throw new IllegalStateException(parts.size() + " parts came back from the " + shards.shards() + " shards");
        }
        return parts;
    }
}
