package dev.nabla.spark.ml;

import dev.nabla.nn.MlpSpec;
import dev.nabla.spark.SparkShards;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * A Nabla multi-layer perceptron as a Spark ML estimator: it fits on a DataFrame's feature vectors ({@code featuresCol},
 * default "features") and class indices ({@code labelCol}, default "label", 0..C−1 as numbers), and gives a
 * {@link NablaClassificationModel}. It is a {@link ProbabilisticClassifier}, so it takes Spark's usual column params
 * and fits in a {@link org.apache.spark.ml.Pipeline} after a {@code VectorAssembler}; the network and the training are
 * set by the {@link NablaParams}.
 *
 * <p>Training is synchronous and data-parallel through {@link SparkShards}: the rows, numbered in order, are cut into
 * {@code shards} shards (row {@code i} in shard {@code i mod shards}), one partition each, kept on the executors; each
 * step, every shard's task computes its part of the batch and the driver adds the parts in shard order and steps the
 * optimizer. The weights depend on the rows' order, the params and the seed, not on the executors or how the
 * DataFrame is partitioned: they equal nabla-core's {@code Trainer.Builder.shards} on the same rows.
 */
public final class NablaClassifier extends ProbabilisticClassifier<Vector, NablaClassifier, NablaClassificationModel>
        implements NablaClassifierParams, NablaEstimatorSetters<NablaClassifier>, DefaultParamsWritable {
    private final String uid;
    private final ParamSet p;

    /** An estimator with a new uid and the default params. */
    public NablaClassifier() {
        this(Identifiable.randomUID("nablaClassifier"));
    }

    /** An estimator with the given uid (as Spark's readers make one) and the default params. */
    public NablaClassifier(String uid) {
        this.uid = uid;   // before super(): Spark's params, made by the superclasses, read it
        super();
        this.p = ParamSet.classifier(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public ParamSet paramSet() {
        return p;
    }

    /** Sets the number of classes, when the labels seen need not include the last one. */
    public NablaClassifier setClasses(int classes) {
        return (NablaClassifier) set(classes(), classes);
    }

    @Override
    public NablaClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Checks that the columns exist and the label is numeric, with a message saying what to set, then Spark's. */
    @Override
    public StructType transformSchema(StructType schema) {
        Columns.require(schema, getFeaturesCol(), "featuresCol", "the features vector (VectorAssembler's outputCol)");
        Columns.require(schema, getLabelCol(), "labelCol", "the class indices 0..C-1 (StringIndexer's outputCol)");
        Columns.requireNumericLabel(schema, getLabelCol());
        return super.transformSchema(schema);
    }

    /** Checks the settings, cuts the rows into shards on the executors and trains; see the class's description. */
    @Override
    public NablaClassificationModel train(Dataset<?> dataset) {
        Fitting.checkSettings(this);
        String name = uid + "'s training rows";
        ShardRows.Cut cut = ShardRows.cut(dataset.toDF(), getFeaturesCol(), getLabelCol(),
                ShardRows.Labels.classIndices(getClasses(), metadataClasses(dataset.schema())), getShards(),
                getBatchSize(), name);
        MlpSpec spec = spec(cut.features(), cut.outputs());
        return new NablaClassificationModel(uid, spec, Fitting.train(this, dataset.sparkSession(), cut, cut.shards(),
                spec, null, name));
    }

    /** The classes the label column's metadata gives (a StringIndexer's output), or 0. */
    private int metadataClasses(StructType schema) {
        Attribute a = Attribute.fromStructField(schema.apply(getLabelCol()));
        return a instanceof NominalAttribute n && n.getNumValues().isDefined() ? (Integer) n.getNumValues().get() : 0;
    }

    /** Reads an estimator saved with {@code write().save(path)}. */
    public static MLReader<NablaClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** {@code read().load(path)}. */
    public static NablaClassifier load(String path) {
        return read().load(path);
    }
}
