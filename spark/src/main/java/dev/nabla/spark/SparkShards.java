package dev.nabla.spark;

import dev.nabla.data.Dataset;
import dev.nabla.data.ShardedLoader;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.train.ShardGradients;
import dev.nabla.train.ShardWorkers;
import dev.nabla.train.ShardedData;
import dev.nabla.train.SyncBatchNorm;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The shards of each data-parallel step computed on Spark's executors: synchronous data-parallel training, with the
 * weights of a single machine's sharded run ({@code Trainer.Builder.shards}) on any number of executors, for
 * classifiers (cross-entropy) and regression models (the loss given) alike.
 *
 * <p>The training data is cut once into {@code S} shards ({@link ShardData}), one per partition of an RDD that is
 * kept on the executors ({@code localCheckpoint}, so that no step ships the data again). Each step is one Spark job:
 * the driver broadcasts the model's weights and buffers, every task loads them into its executor's copy of the model
 * and computes its shard's gradient sums with nabla-core ({@link ShardGradients#compute}), and {@code collect} brings
 * the parts back in partition order, which is shard order whatever order the tasks finished in. The
 * {@link dev.nabla.train.Trainer} then adds them ({@link ShardGradients#combine}), clips and steps the optimizer on the
 * driver. A task that fails is run again by Spark and computes the same part: a part depends only on the weights,
 * the shard and the step. With synchronised BatchNorm a step is {@code 2L + 1} such jobs for L BatchNorm layers, the
 * rounds of {@link SyncBatchNorm}, each shipping what the rounds before combined.
 *
 * <p>Set the system property {@value #FAIL_ONCE} to {@code STEP:SHARD} and the first attempt of that task fails,
 * to test the retries (Spark retries a task in local mode only with a master such as {@code local[2,2]}).
 */
public final class SparkShards implements ShardWorkers, AutoCloseable {
    /** The system property that makes one task fail on its first attempt: {@code STEP:SHARD}. */
    public static final String FAIL_ONCE = "nabla.spark.failOnce";

    private final JavaSparkContext spark;
    private final Module model;
    private final ModelSpec spec;
    private final JavaRDD<ShardData> data;
    private final String name;
    private final int samples;
    private final int outputs;
    private final RegressionLoss regressionLoss;
    private final int batchSize;
    private final int shards;
    private final long seed;
    private final String run = UUID.randomUUID().toString();
    private final long[] failOnce;
    private final boolean syncBatchNorm;
    private Broadcast<Map<String, float[]>> weights;

    /**
     * Cuts {@code train} into {@code shards} shards and places them on the executors.
     *
     * @param regressionLoss the loss when {@code train} has numeric targets, one that serializes ({@code MSELoss},
     *                       {@code L1Loss}, {@code HuberLoss}, {@code SmoothL1Loss}), as every task needs it; null for
     *                       class labels, trained with cross-entropy
     * @param model          the driver's network, which the trainer updates; the executors build copies from
     *                       {@code spec}
     * @param syncBatchNorm  normalise with the whole batch's statistics ({@link SyncBatchNorm}, in rounds of jobs)
     *                       rather than each shard's own
     * @throws IllegalArgumentException when the batch is not a multiple of the shards, there are more shards than
     *                                  samples, or the loss does not suit the data
     */
    public SparkShards(JavaSparkContext spark, Dataset train, RegressionLoss regressionLoss, Module model,
                       ModelSpec spec, int batchSize, int shards, long seed, boolean syncBatchNorm) {
        this(spark, spark.parallelize(ShardData.cut(train, checked(train, regressionLoss, batchSize, shards)),
                shards), train.name(), train.size(), train.outputs(), regressionLoss, model, spec, batchSize, seed,
                syncBatchNorm);
    }

    /**
     * Trains on shards already cut and held by an RDD, partition {@code k} holding shard {@code k} alone (as
     * {@link ShardData#cut} cuts a dataset, or from a DataFrame's rows numbered in order, row {@code i} in shard
     * {@code i mod S}); the RDD is checkpointed on the executors here.
     *
     * @param samples        the samples in all shards
     * @param outputs        the number of classes, or of targets per sample
     * @param regressionLoss the loss of shards with numeric targets (serializable), or null for class labels
     */
    public SparkShards(JavaSparkContext spark, JavaRDD<ShardData> shards, String name, int samples, int outputs,
                       RegressionLoss regressionLoss, Module model, ModelSpec spec, int batchSize, long seed,
                       boolean syncBatchNorm) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.model = Objects.requireNonNull(model, "model");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.shards = shards.getNumPartitions();
        ShardedLoader.checkShards(batchSize, this.shards, samples, name);
        this.name = name;
        this.samples = samples;
        this.outputs = outputs;
        this.regressionLoss = serializable(regressionLoss);
        this.batchSize = batchSize;
        this.seed = seed;
        this.failOnce = failOnce(System.getProperty(FAIL_ONCE));
        this.syncBatchNorm = syncBatchNorm;
        shards.rdd().localCheckpoint();
        shards.count();   // places the shards on the executors now, and cuts the lineage that holds the arrays
        this.data = shards;
    }

    private static int checked(Dataset train, RegressionLoss regressionLoss, int batchSize, int shards) {
        if (train.isRegression() && regressionLoss == null) {
            throw new IllegalArgumentException(train.name() + " has numeric targets: give a regression loss, e.g. "
                    + "new MSELoss()");
        }
        if (!train.isRegression() && regressionLoss != null) {
            throw new IllegalArgumentException(train.name() + " has class labels, which train with cross-entropy: "
                    + "give no regression loss (null), or regression data");
        }
        ShardedLoader.checkShards(batchSize, shards, train.size(), train.name());
        return shards;
    }

    private static RegressionLoss serializable(RegressionLoss loss) {
        if (loss != null && !(loss instanceof Serializable)) {
            throw new IllegalArgumentException("the regression loss " + loss.getClass().getName() + " cannot be sent "
                    + "to the executors: use MSELoss, L1Loss, HuberLoss or SmoothL1Loss, or a loss that implements "
                    + "Serializable");
        }
        return loss;
    }

    private static long[] failOnce(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split(":");
        try {
            return new long[] {Long.parseLong(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(FAIL_ONCE + "=" + value + " is not STEP:SHARD, e.g. 3:1");
        }
    }

    @Override
    public ShardedData data() {
        return new ShardedData(name, samples, regressionLoss != null, outputs,
                ShardedLoader.numBatches(samples, batchSize, shards));
    }

    @Override
    public List<ShardGradients> compute(int epoch, int batch, long globalStep) {
        if (weights != null) {
            weights.destroy(false);
        }
        weights = spark.broadcast(model.stateValues());   // a copy: in local mode the executors share it
        int failShard = failOnce != null && failOnce[0] == globalStep ? (int) failOnce[1] : -1;
        for (SyncBatchNorm.Known known = syncBatchNorm ? SyncBatchNorm.Known.NOTHING : null; ; ) {
            List<SyncBatchNorm.Pass> passes = data.mapPartitions(new ShardStep(run, spec, weights, epoch, batch,
                    globalStep, batchSize, shards, seed, regressionLoss, failShard, known)).collect();
            if (passes.size() != shards) {
                throw new IllegalStateException(passes.size() + " parts came back from the " + shards + " shards");
            }
            known = known == null ? null : SyncBatchNorm.next(known, passes);
            if (known == null) {
                return SyncBatchNorm.parts(passes);
            }
        }
    }

    JavaSparkContext spark() {
        return spark;
    }

    JavaRDD<ShardData> rdd() {
        return data;
    }

    String run() {
        return run;
    }

    ModelSpec spec() {
        return spec;
    }

    int batchSize() {
        return batchSize;
    }

    int shards() {
        return shards;
    }

    long seed() {
        return seed;
    }

    RegressionLoss regressionLoss() {
        return regressionLoss;
    }

    /** Frees the broadcast weights and the executors' copy of the data. */
    @Override
    public void close() {
        if (weights != null) {
            weights.destroy(false);
            weights = null;
        }
        data.unpersist(false);
    }
}
