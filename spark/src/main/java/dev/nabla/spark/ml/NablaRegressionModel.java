package dev.nabla.spark.ml;

import dev.nabla.data.Standardization;
import dev.nabla.io.ModelDescription;
import dev.nabla.nn.MlpSpec;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NablaRegressor}: the network's spec and weights and the standardizations of its features and label,
 * as a Spark ML transformer that appends the predicted label ({@code predictionCol}), in the label's units, to each
 * row. {@link #transform} runs on the executors, the rows through the network {@value BatchPredict#BATCH} at a time,
 * in evaluation mode and without a graph. It keeps the params it was trained with, and saves as Spark ML models do:
 * the params as Spark's metadata, the weights as a safetensors file whose description holds the standardizations, so
 * that {@code nabla predict --model} answers in the label's units too ({@link ModelStore}).
 */
public final class NablaRegressionModel extends RegressionModel<Vector, NablaRegressionModel>
        implements NablaRegressorParams, MLWritable {
    private final String uid;
    private final FittedNetwork network;
    private final BatchPredict.Scaling scaling;
    private final ParamSet p;

    NablaRegressionModel(String uid, MlpSpec spec, Map<String, float[]> weights, Standardization featureScaling,
                         Standardization labelScaling) {
        this.uid = uid;   // before super(): Spark's params, made by the superclasses, read it
        this.network = new FittedNetwork(spec, weights);
        this.scaling = new BatchPredict.Scaling(featureScaling, labelScaling);
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

    /** The network's description: inputs, hidden layers, one output, activation, batch normalisation, dropout. */
    public MlpSpec spec() {
        return network.spec();
    }

    /** The network's parameters and buffers by their state_dict names (copies). */
    public Map<String, float[]> weights() {
        return network.copyOfWeights();
    }

    /** The standardization of the features, fitted on the training rows, that every input goes through first. */
    public Standardization featureScaling() {
        return scaling.features();
    }

    /** The standardization of the label, fitted on the training rows, that the network's output is turned back from. */
    public Standardization labelScaling() {
        return scaling.label();
    }

    @Override
    public int numFeatures() {
        return spec().inputs();
    }

    /** The prediction for one row, computed on the driver; {@link #transform} does whole partitions on executors. */
    @Override
    public double predict(Vector features) {
        return scaling.values(new double[][] {network.outputs(features, getFeaturesCol(), scaling.features())})[0];
    }

    /** Checks the columns, and the features' size when the column's metadata gives it, then Spark's checks. */
    @Override
    public StructType transformSchema(StructType schema) {
        Columns.requireFeatures(schema, getFeaturesCol(), spec().inputs());
        return super.transformSchema(schema);
    }

    /**
     * Appends the prediction column (unless its name is empty), computed on the executors in batches; lazily, as
     * every transform: a features vector of the wrong size fails the job that reads it.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema(), true);
        if (getPredictionCol().isEmpty()) {
            return dataset.toDF();
        }
        return BatchPredict.transform(dataset, out, spec(), network.weights(), getFeaturesCol(),
                new BatchPredict.Output[] {BatchPredict.Output.PREDICTION}, null, scaling);
    }

    @Override
    public NablaRegressionModel copy(ParamMap extra) {
        NablaRegressionModel copy = copyValues(new NablaRegressionModel(uid, spec(), network.weights(),
                scaling.features(), scaling.label()), extra);
        return copy.setParent(parent());
    }

    /**
     * Writes the params as Spark's metadata and the weights as a safetensors file, into a directory; the file's
     * description names the label column as the target and holds both standardizations.
     */
    @Override
    public MLWriter write() {
        return new ModelStore.Writer(this, network.weights(), new ModelDescription(spec(), spec().inputs(), List.of(),
                List.of(), List.of(), "Spark DataFrame column " + getFeaturesCol(),
                new ModelDescription.Regression(List.of(getLabelCol()), scaling.features(), scaling.label())));
    }

    /** Reads a model saved with {@code write().save(path)}. */
    public static MLReader<NablaRegressionModel> read() {
        return new ModelStore.Reader<>(NablaRegressionModel.class, (uid, spec, weights, description) -> {
            if (!description.isRegression()) {
                throw new IllegalArgumentException("the weights saved with " + uid + " are a classifier's: load it "
                        + "with NablaClassificationModel.load");
            }
            return new NablaRegressionModel(uid, spec, weights, description.regression().featureScaling(),
                    description.regression().targetScaling());
        });
    }

    /** {@code read().load(path)}. */
    public static NablaRegressionModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "NablaRegressionModel: uid=" + uid + ", " + spec() + ", numFeatures=" + numFeatures();
    }
}
