package dev.nabla.spark.ml;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Standardization;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.StepMemory;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A model's predictions for one partition of rows, on an executor: the network built from its spec and the broadcast
 * weights, in evaluation mode and without a graph, run on {@value #BATCH} rows at a time; each row comes out with the
 * output columns appended, in the order the output schema lists them. A classifier's are the prediction, the raw
 * scores (the logits) and the probabilities (their softmax); a regression model's is the prediction, its features
 * standardized before the network and its output turned back into the label's units.
 */
final class BatchPredict implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;
    /** Rows per forward pass. */
    static final int BATCH = 512;

    /** What an appended column holds. */
    enum Output { PREDICTION, RAW, PROBABILITY }

    private final ModelSpec spec;
    private final Broadcast<Map<String, float[]>> weights;
    private final int featuresIndex;
    private final String featuresCol;
    private final int features;
    private final int classes;
    private final Output[] outputs;
    private final double[] thresholds;
    private final Scaling scaling;

    /**
     * A regression model's standardizations: of its features, before the network, and of its label, which the
     * network's output is turned back from.
     */
    record Scaling(Standardization features, Standardization label) implements Serializable {
        /** The predictions of rows whose network outputs are {@code raw} (one output each), in the label's units. */
        float[] values(double[][] raw) {
            float[] outputs = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                outputs[i] = (float) raw[i][0];
            }
            return label.invert(outputs);
        }
    }

    /**
     * @param outputs    the appended columns, in order
     * @param thresholds per-class thresholds of the prediction (Spark's {@code thresholds}), or null for the most
     *                   probable class
     * @param scaling    a regression model's standardizations, or null for a classifier
     */
    BatchPredict(ModelSpec spec, Broadcast<Map<String, float[]>> weights, int featuresIndex, String featuresCol,
                 int features, int classes, Output[] outputs, double[] thresholds, Scaling scaling) {
        this.spec = spec;
        this.weights = weights;
        this.featuresIndex = featuresIndex;
        this.featuresCol = featuresCol;
        this.features = features;
        this.classes = classes;
        this.outputs = outputs.clone();
        this.thresholds = thresholds;
        this.scaling = scaling;
    }

    /** The network with {@code state}'s weights and buffers, in evaluation mode. */
    static Module network(ModelSpec spec, Map<String, float[]> state) {
        Module model = spec.build(new Rng(0));
        model.setStateValues(state);
        model.eval();
        return model;
    }

    /** The logits of {@code n} rows of {@code x} (row-major), as doubles, one array per row. */
    static double[][] logits(Module model, float[] x, int n, int features, int classes, StepMemory memory) {
        double[][] out = new double[n][classes];
        try (var _ = NoGrad.enter(); var _ = memory.enter()) {
            float[] rows = x.length == n * features ? x : Arrays.copyOf(x, n * features);
            Tensor scores = model.call(Tensor.wrap(rows, Shape.of(n, features)));
            float[] s = scores.data();
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < classes; c++) {
                    out[i][c] = s[i * classes + c];
                }
            }
        }
        return out;
    }

    /** Softmax of {@code raw} in place, in double, after subtracting the largest score. */
    static double[] softmaxInPlace(double[] raw) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : raw) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = Math.exp(raw[i] - max);
            sum += raw[i];
        }
        for (int i = 0; i < raw.length; i++) {
            raw[i] /= sum;
        }
        return raw;
    }

    /** The class predicted from probabilities: the largest, or with thresholds the largest p / t, as Spark's. */
    static int predict(double[] probability, double[] thresholds) {
        int best = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < probability.length; i++) {
            double scaled = thresholds == null ? probability[i] : probability[i] / thresholds[i];
            if (scaled > max) {
                max = scaled;
                best = i;
            }
        }
        return best;
    }

    /** Copies {@code v}'s values into {@code x} from {@code offset}, after checking its size. */
    static void features(Vector v, float[] x, int offset, int features, String featuresCol) {
        if (v == null) {
            throw new IllegalArgumentException("a row has no features vector (null in column '" + featuresCol
                    + "'): drop such rows (na().drop()) or fill them before transforming");
        }
        if (v.size() != features) {
            throw new IllegalArgumentException("a features vector in column '" + featuresCol + "' has " + v.size()
                    + " values, but the model was trained on " + features + ": give it vectors of the same features "
                    + "it was fitted on (the same VectorAssembler inputs)");
        }
        for (int j = 0; j < features; j++) {
            x[offset + j] = (float) v.apply(j);
        }
    }

    /**
     * {@code dataset} with the columns {@code out} appends to its schema, computed on the executors: the weights
     * broadcast once, each partition's rows through the network in batches; lazily, as every transform.
     *
     * @param out     {@code dataset}'s schema and the output columns after it, as the model's transformSchema gives
     * @param outputs what each output column holds, in order
     */
    static Dataset<Row> transform(Dataset<?> dataset, StructType out, MlpSpec spec, Map<String, float[]> weights,
                                  String featuresCol, Output[] outputs, double[] thresholds, Scaling scaling) {
        StructType in = dataset.schema();
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
        Broadcast<Map<String, float[]>> shared = spark.broadcast(new LinkedHashMap<>(weights));
        Dataset<Row> predicted = dataset.toDF().mapPartitions(new BatchPredict(spec, shared,
                in.fieldIndex(featuresCol), featuresCol, spec.inputs(), spec.outputs(), outputs, thresholds, scaling),
                Encoders.row(out));
        return predicted.select(Arrays.stream(out.fields()).map(f -> functions.col(quoted(f.name()))
                .as(f.name(), f.metadata())).toArray(Column[]::new));   // the encoder drops the columns' metadata
    }

    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private final StepMemory memory = new StepMemory();
            private Module model;

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && rows.hasNext()) {
                    fill();
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }

            private void fill() {
                if (model == null) {
                    model = network(spec, weights.value());
                }
                List<Row> in = new ArrayList<>(BATCH);
                float[] x = new float[BATCH * features];
                while (in.size() < BATCH && rows.hasNext()) {
                    Row row = rows.next();
                    features(row.isNullAt(featuresIndex) ? null : row.getAs(featuresIndex), x, in.size() * features,
                            features, featuresCol);
                    in.add(row);
                }
                double[][] raw = logits(model, scaling == null ? x : scaling.features().apply(x), in.size(), features,
                        classes, memory);
                float[] predicted = scaling == null ? null : scaling.values(raw);
                for (int i = 0; i < in.size(); i++) {
                    ready.add(append(in.get(i), raw[i], predicted == null ? Float.NaN : predicted[i]));
                }
            }
        };
    }

    /** The row with the output columns appended; {@code predicted} is a regression model's prediction. */
    private Row append(Row row, double[] raw, float predicted) {
        double[] probability = scaling != null ? null : softmaxInPlace(raw.clone());
        Object[] values = new Object[row.size() + outputs.length];
        for (int i = 0; i < row.size(); i++) {
            values[i] = row.get(i);
        }
        for (int o = 0; o < outputs.length; o++) {
            values[row.size() + o] = switch (outputs[o]) {
                case PREDICTION -> scaling != null ? (double) predicted : (double) predict(probability, thresholds);
                case RAW -> Vectors.dense(raw);
                case PROBABILITY -> Vectors.dense(probability);
            };
        }
        return RowFactory.create(values);
    }
}
