package dev.nabla.spark.ml;

import dev.nabla.nn.MlpSpec;
import dev.nabla.spark.ShardData;
import dev.nabla.spark.SparkShards;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A Nabla multi-layer perceptron as a Spark ML regressor: it fits on a DataFrame's feature vectors
 * ({@code featuresCol}, default "features") and a numeric label ({@code labelCol}, default "label"), and gives a
 * {@link NablaRegressionModel} whose {@code prediction} is in the label's units. It is a Spark {@link Regressor}, so
 * it fits in a {@link org.apache.spark.ml.Pipeline} after a {@code VectorAssembler} and is scored by a
 * {@code RegressionEvaluator}; the network and the training are set by the {@link NablaParams} and the {@code loss}.
 *
 * <p>As {@code nabla train} does with regression data, the features and the label are standardized on the training
 * rows (mean 0, variance 1; the figures computed shard by shard and added in shard order, {@link ShardScaling}), the
 * network learns the standardized label, and the model turns its output back. Training is synchronous and
 * data-parallel through {@link SparkShards}, as {@link NablaClassifier}'s: the weights depend on the rows' order, the
 * params and the seed, not on the executors or how the DataFrame is partitioned.
 */
public final class NablaRegressor extends Regressor<Vector, NablaRegressor, NablaRegressionModel>
        implements NablaRegressorParams, NablaEstimatorSetters<NablaRegressor>, DefaultParamsWritable {
    private final String uid;
    private final ParamSet p;

    /** An estimator with a new uid and the default params. */
    public NablaRegressor() {
        this(Identifiable.randomUID("nablaRegressor"));
    }

    /** An estimator with the given uid (as Spark's readers make one) and the default params. */
    public NablaRegressor(String uid) {
        this.uid = uid;   // before super(): Spark's params, made by the superclasses, read it
        super();
        this.p = ParamSet.regressor(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public ParamSet paramSet() {
        return p;
    }

    /** Sets the loss on the standardized label: mse, l1, huber or smooth_l1. */
    public NablaRegressor setLoss(String name) {
        return (NablaRegressor) set(loss(), name);
    }

    @Override
    public NablaRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Checks that the columns exist and the label is numeric, with a message saying what to set, then Spark's. */
    @Override
    public StructType transformSchema(StructType schema) {
        Columns.require(schema, getFeaturesCol(), "featuresCol", "the features vector (VectorAssembler's outputCol)");
        Columns.require(schema, getLabelCol(), "labelCol", "the numbers to predict");
        Columns.requireNumeric(schema, getLabelCol(), "NablaRegressor predicts numbers: set labelCol to a numeric "
                + "column, or cast this one");
        return super.transformSchema(schema);
    }

    /** Checks the settings, cuts the rows into standardized shards on the executors and trains; see the class. */
    @Override
    public NablaRegressionModel train(Dataset<?> dataset) {
        Fitting.checkSettings(this);
        String name = uid + "'s training rows";
        ShardRows.Cut cut = ShardRows.cut(dataset.toDF(), getFeaturesCol(), getLabelCol(), ShardRows.Labels.numbers(),
                getShards(), getBatchSize(), name);
        MlpSpec spec = spec(cut.features(), 1);
        ShardScaling scaling;
        try {
            scaling = ShardScaling.fit(cut.shards(), cut.samples());
        } catch (RuntimeException e) {
            cut.release();
            throw e;
        }
        JavaRDD<ShardData> standardized = scaling.apply(cut.shards());
        return new NablaRegressionModel(uid, spec, Fitting.train(this, dataset.sparkSession(), cut, standardized,
                spec, regressionLoss(), name), scaling.features(), scaling.targets());
    }

    /** Reads an estimator saved with {@code write().save(path)}. */
    public static MLReader<NablaRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /** {@code read().load(path)}. */
    public static NablaRegressor load(String path) {
        return read().load(path);
    }
}
