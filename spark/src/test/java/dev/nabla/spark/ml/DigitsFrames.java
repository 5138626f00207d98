package dev.nabla.spark.ml;

import dev.nabla.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** nabla-core's datasets as the DataFrames a Spark user has: one double column per pixel, or a vector, and a label. */
final class DigitsFrames {
    private DigitsFrames() {
    }

    /** The pixel columns' names: p0 … p63. */
    static String[] pixelColumns(int features) {
        return IntStream.range(0, features).mapToObj(i -> "p" + i).toArray(String[]::new);
    }

    /** One double column per feature, then "label" (a double), the rows in the dataset's order. */
    static org.apache.spark.sql.Dataset<Row> columns(SparkSession spark, Dataset data) {
        int f = data.features();
        List<StructField> fields = new ArrayList<>();
        for (String name : pixelColumns(f)) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField("label", DataTypes.DoubleType, false));
        float[] x = data.batch(IntStream.range(0, data.size()).toArray()).x().data();
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Object[] values = new Object[f + 1];
            for (int j = 0; j < f; j++) {
                values[j] = (double) x[i * f + j];
            }
            values[f] = (double) data.label(i);
            rows.add(RowFactory.create(values));
        }
        return spark.createDataFrame(rows, DataTypes.createStructType(fields));
    }

    /** A "features" vector column and a "label" column, without ML metadata. */
    static org.apache.spark.sql.Dataset<Row> vectors(SparkSession spark, double[][] features, double[] labels) {
        StructType schema = DataTypes.createStructType(List.of(
                DataTypes.createStructField("features", SQLDataTypes.VectorType(), true),
                DataTypes.createStructField("label", DataTypes.DoubleType, true)));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            rows.add(RowFactory.create(Vectors.dense(features[i]), labels[i]));
        }
        return spark.createDataFrame(rows, schema);
    }

    /** {@link #vectors(SparkSession, double[][], double[])} of the dataset's samples. */
    static org.apache.spark.sql.Dataset<Row> vectors(SparkSession spark, Dataset data) {
        int f = data.features();
        float[] x = data.batch(IntStream.range(0, data.size()).toArray()).x().data();
        double[][] features = new double[data.size()][f];
        double[] labels = new double[data.size()];
        for (int i = 0; i < data.size(); i++) {
            for (int j = 0; j < f; j++) {
                features[i][j] = x[i * f + j];
            }
            labels[i] = data.label(i);
        }
        return vectors(spark, features, labels);
    }
}
