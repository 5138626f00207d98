package dev.nabla.spark;

import dev.nabla.data.Batch;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.ModelSpec;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerFactory;
import dev.nabla.train.LocalSgd;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;

/**
 * The task of one shard in a round of local SGD, run on an executor: load the round's weights and optimizer state
 * into the executor's copy of the model and a new optimizer, take the round's steps on the shard's batches
 * ({@link LocalSgd#run}), and return what it reached.
 */
final class LocalSgdStep implements FlatMapFunction<Iterator<ShardData>, LocalSgd.Part> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String run;
    private final ModelSpec spec;
    private final Broadcast<SparkLocalSgd.RoundStart> start;
    private final int epoch;
    private final int first;
    private final int count;
    private final long firstStep;
    private final int batchSize;
    private final int shards;
    private final long seed;
    private final OptimizerFactory optimizers;
    private final Double clipValue;
    private final Double clipNorm;
    private final RegressionLoss regressionLoss;

    LocalSgdStep(String run, ModelSpec spec, Broadcast<SparkLocalSgd.RoundStart> start, int epoch, int first,
                 int count, long firstStep, int batchSize, int shards, long seed, OptimizerFactory optimizers,
                 Double clipValue, Double clipNorm, RegressionLoss regressionLoss) {
        this.run = run;
        this.spec = spec;
        this.start = start;
        this.epoch = epoch;
        this.first = first;
        this.count = count;
        this.firstStep = firstStep;
        this.batchSize = batchSize;
        this.shards = shards;
        this.seed = seed;
        this.optimizers = optimizers;
        this.clipValue = clipValue;
        this.clipNorm = clipNorm;
        this.regressionLoss = regressionLoss;
    }

    @Override
    public Iterator<LocalSgd.Part> call(Iterator<ShardData> partition) {
        ShardData shard = ShardStep.ownShard(partition, TaskContext.get().partitionId(), regressionLoss);
        List<Batch> batches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batches.add(ExecutorState.batch(run, shard, epoch, first + i, batchSize, shards, seed));
        }
        ExecutorState.Worker worker = ExecutorState.worker(run, spec);
        try {
            worker.load(start.value().state());
            Optimizer optimizer = optimizers.create(worker.model().parameters());
            start.value().optimizer().load(optimizer);
            return List.of(LocalSgd.run(worker.model(), optimizer, ShardStep.batchLoss(regressionLoss), batches,
                    shard.shard(), firstStep, seed, clipValue, clipNorm, worker.memory())).iterator();
        } finally {
            ExecutorState.release(run, worker);
        }
    }
}
