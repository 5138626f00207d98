package dev.nabla.spark;

import dev.nabla.data.Batch;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.ModelSpec;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.ShardGradients;
import dev.nabla.train.SyncBatchNorm;
import java.io.Serial;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task of one shard in one step, run on an executor: load the broadcast weights into the executor's copy of the
 * model, take the shard's batch of this step, and return its gradient sums ({@link ShardGradients#compute}); with
 * synchronised BatchNorm, its pass of the step's round ({@link SyncBatchNorm#pass}) given what the rounds before
 * combined.
 */
final class ShardStep implements FlatMapFunction<Iterator<ShardData>, SyncBatchNorm.Pass> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String run;
    private final ModelSpec spec;
    private final Broadcast<Map<String, float[]>> weights;
    private final int epoch;
    private final int batch;
    private final long step;
    private final int batchSize;
    private final int shards;
    private final long seed;
    private final RegressionLoss regressionLoss;
    private final int failShard;
    private final SyncBatchNorm.Known known;

    ShardStep(String run, ModelSpec spec, Broadcast<Map<String, float[]>> weights, int epoch, int batch, long step,
              int batchSize, int shards, long seed, RegressionLoss regressionLoss, int failShard,
              SyncBatchNorm.Known known) {
        this.run = run;
        this.spec = spec;
        this.weights = weights;
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
        this.batchSize = batchSize;
        this.shards = shards;
        this.seed = seed;
        this.regressionLoss = regressionLoss;
        this.failShard = failShard;
        this.known = known;
    }

    /**
     * The shard partition {@code index} holds, checked to be shard {@code index} and alone, and to have the answers
     * the loss takes: targets when there is a regression loss, class labels when there is none.
     */
    static ShardData ownShard(Iterator<ShardData> partition, int index, RegressionLoss regressionLoss) {
        ShardData shard = partition.next();
        if (shard.shard() != index || partition.hasNext()) {
            throw new IllegalStateException("partition " + index + " holds shard " + shard.shard()
                    + (partition.hasNext() ? " and more" : "") + ": each partition must hold its own shard alone");
        }
        if (shard.isRegression() != (regressionLoss != null)) {
            throw new IllegalStateException(shard.name() + (shard.isRegression() ? " has numeric targets, but no "
                    + "regression loss was given" : " has class labels, but a regression loss was given"));
        }
        return shard;
    }

    /** The mean loss of a batch's output: the regression loss against its targets, else cross-entropy. */
    static BiFunction<Tensor, Batch, Tensor> batchLoss(RegressionLoss regressionLoss) {
        if (regressionLoss != null) {
            return (out, b) -> regressionLoss.apply(out, b.target());
        }
        CrossEntropyLoss loss = new CrossEntropyLoss();
        return (out, b) -> loss.apply(out, b.y());
    }

    @Override
    public Iterator<SyncBatchNorm.Pass> call(Iterator<ShardData> partition) {
        ShardData shard = ownShard(partition, TaskContext.get().partitionId(), regressionLoss);
        if (shard.shard() == failShard && TaskContext.get().attemptNumber() == 0) {
            throw new IllegalStateException(SparkShards.FAIL_ONCE + ": the task of shard " + failShard + " at step "
                    + step + " fails on its first attempt, as asked");
        }
        Batch mine = ExecutorState.batch(run, shard, epoch, batch, batchSize, shards, seed);
        ExecutorState.Worker worker = ExecutorState.worker(run, spec);
        try {
            worker.load(weights.value());
            try (var scope = worker.memory().enter()) {
                BiFunction<Tensor, Batch, Tensor> lossOf = batchLoss(regressionLoss);
                return List.of(known == null
                        ? new SyncBatchNorm.Pass(ShardGradients.compute(worker.model(), lossOf, mine, shard.shard(), step,
                                seed), -1, null, null)
                        : SyncBatchNorm.pass(worker.model(), lossOf, mine, shard.shard(), step, seed, known)).iterator();
            }
        } finally {
            ExecutorState.release(run, worker);
        }
    }
}
