package dev.nabla.spark.ml;

import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.OptimizerKind;
import dev.nabla.spark.ShardData;
import dev.nabla.spark.SparkShards;
import dev.nabla.tensor.Rng;
import dev.nabla.train.Trainer;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** What {@link NablaClassifier} and {@link NablaRegressor} do alike when they fit: check the settings, and train. */
final class Fitting {
    private Fitting() {
    }

    /**
     * Refuses, before any job, settings that cannot train: a momentum for an optimizer that takes none, a batch the
     * shards do not divide, a hidden layer size that is not positive.
     */
    static void checkSettings(NablaParams params) {
        OptimizerKind kind = params.optimizerKind();
        if (params.isDefined(params.momentum()) && !kind.hasMomentum()) {
            throw new IllegalArgumentException("momentum is set, but the " + kind + " optimizer takes none: clear "
                    + "momentum, or set optimizer to sgd or rmsprop");
        }
        int batchSize = params.getBatchSize();
        int shards = params.getShards();
        if (batchSize % shards != 0) {
            throw new IllegalArgumentException("batchSize " + batchSize + " cannot be cut into " + shards
                    + " equal shards: set batchSize to a multiple of shards (e.g. " + shards * Math.max(1,
                    Math.round((float) batchSize / shards)) + "), or shards to a divisor of batchSize");
        }
        params.spec(1, 1);
    }

    /**
     * Trains the network {@code spec} as the params say on {@code shards} (the cut's, or those made from them),
     * synchronously data-parallel through {@link SparkShards}, and returns its weights and buffers by name. The
     * cut's rows are released as soon as the shards are on the executors.
     *
     * @param loss the regression loss, or null for a classifier (cross-entropy)
     */
    static Map<String, float[]> train(NablaParams params, SparkSession session, ShardRows.Cut cut,
                                      JavaRDD<ShardData> shards, MlpSpec spec, RegressionLoss loss, String name) {
        Module model = spec.build(new Rng(params.getSeed()));
        OptimizerKind kind = params.optimizerKind();
        Optimizer optimizer = kind.create(model.parameters(), params.getLr(), kind.defaultWeightDecay(),
                params.getMomentum());
        Trainer.Builder trainer = Trainer.builder(model, optimizer).epochs(params.getEpochs());
        if (params.isDefined(params.clipNorm())) {
            trainer.clipGradNorm(params.getClipNorm());
        }
        if (loss != null) {
            trainer.regressionLoss(loss);
        }
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(session.sparkContext());
        SparkShards workers;
        try {
            workers = new SparkShards(spark, shards, name, cut.samples(), cut.outputs(), loss, model, spec,
                    params.getBatchSize(), params.getSeed(), false);
        } finally {
            cut.release();   // the shards are on the executors now, or failed to get there
        }
        try (workers) {
            trainer.build().fit(workers, null);
        }
        return model.stateValues();
    }
}
