package dev.nabla.spark.ml;

import dev.nabla.io.ModelDescription;
import dev.nabla.nn.MlpSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * A fitted {@link NablaClassifier}: the network's spec and weights, as a Spark ML transformer that appends the
 * predicted class ({@code predictionCol}), the logits ({@code rawPredictionCol}) and their softmax
 * ({@code probabilityCol}) to each row. {@link #transform} runs on the executors: the weights are broadcast once per
 * call and each partition's rows go through the network {@value BatchPredict#BATCH} at a time, in evaluation mode and
 * without a graph. It keeps the params it was trained with, and saves as Spark ML models do
 * ({@code write().overwrite().save(path)}, {@link #load}): the params as Spark's metadata, the weights as a safetensors
 * file that nabla-core (and PyTorch) read ({@link ModelStore}).
 */
public final class NablaClassificationModel
        extends ProbabilisticClassificationModel<Vector, NablaClassificationModel> implements NablaClassifierParams,
        MLWritable {
    private final String uid;
    private final FittedNetwork network;
    private final ParamSet p;

    NablaClassificationModel(String uid, MlpSpec spec, Map<String, float[]> weights) {
        this.uid = uid;   // before super(): Spark's params, made by the superclasses, read it
        this.network = new FittedNetwork(spec, weights);
        super();
        this.p = ParamSet.classifier(this);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The network's description: inputs, hidden layers, classes, activation, batch normalisation, dropout. */
    public MlpSpec spec() {
        return network.spec();
    }

    /** The network's parameters and buffers by their state_dict names (copies). */
    public Map<String, float[]> weights() {
        return network.copyOfWeights();
    }

    @Override
    public int numClasses() {
        return spec().outputs();
    }

    @Override
    public int numFeatures() {
        return spec().inputs();
    }

    @Override
    public ParamSet paramSet() {
        return p;
    }

    /** The logits of one row, computed on the driver; {@link #transform} does whole partitions on the executors. */
    @Override
    public Vector predictRaw(Vector features) {
        return Vectors.dense(network.outputs(features, getFeaturesCol(), null));
    }

    /** The softmax of the logits, in place when {@code raw} is dense. */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        DenseVector dense = raw instanceof DenseVector d ? d : raw.toDense();
        BatchPredict.softmaxInPlace(dense.values());
        return dense;
    }

    /** Checks the columns, and the features' size when the column's metadata gives it, then Spark's checks. */
    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures(schema, getFeaturesCol(), spec().inputs());
        return super.transformSchema(schema);
    }

    /**
     * Appends the output columns whose names are not empty, computed on the executors in batches; lazily, as every
     * transform: a features vector of the wrong size fails the job that reads it.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
        if (thresholds != null && thresholds.length != numClasses()) {
            throw new IllegalArgumentException("thresholds has " + thresholds.length + " values, but the model has "
                    + numClasses() + " classes: give one threshold per class");
        }
        StructType in = dataset.schema();
        List<BatchPredict.Output> outputs = new ArrayList<>();
        for (String name : Arrays.copyOfRange(out.fieldNames(), in.size(), out.size())) {
            outputs.add(name.equals(getPredictionCol()) ? BatchPredict.Output.PREDICTION
                    : name.equals(getRawPredictionCol()) ? BatchPredict.Output.RAW : BatchPredict.Output.PROBABILITY);
        }
        if (outputs.isEmpty()) {
            return dataset.toDF();
        }
        return BatchPredict.transform(dataset, out, spec(), network.weights(), getFeaturesCol(),
                outputs.toArray(BatchPredict.Output[]::new), thresholds, null);
    }

    @Override
    public NablaClassificationModel copy(ParamMap extra) {
        NablaClassificationModel copy = copyValues(new NablaClassificationModel(uid, spec(), network.weights()),
                extra);
        return copy.setParent(parent());
    }

    /** Writes the params as Spark's metadata and the weights as a safetensors file, into a directory. */
    @Override
    public MLWriter write() {
        List<String> classes = IntStream.range(0, spec().outputs()).mapToObj(Integer::toString).toList();
        return new ModelStore.Writer(this, network.weights(), new ModelDescription(spec(), spec().inputs(), List.of(),
                List.of(), classes, "Spark DataFrame column " + getFeaturesCol()));
    }

    /** Reads a model saved with {@code write().save(path)}. */
    public static MLReader<NablaClassificationModel> read() {
        return new ModelStore.Reader<>(NablaClassificationModel.class, (uid, spec, weights, description) -> {
            if (description.isRegression()) {
                throw new IllegalArgumentException("the weights saved with " + uid + " are a regression model's: "
                        + "load it with NablaRegressionModel.load");
            }
            return new NablaClassificationModel(uid, spec, weights);
        });
    }

    /** {@code read().load(path)}. */
    public static NablaClassificationModel load(String path) {
        return read().load(path);
    }

    /**
     * Spark's own; restated because Java sees the two superclasses' versions, whose Scala return types differ only in
     * a covariant type argument, as a clash.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public String toString() {
        return "NablaClassificationModel: uid=" + uid + ", " + spec() + ", numClasses=" + numClasses()
                + ", numFeatures=" + numFeatures();
    }
}
