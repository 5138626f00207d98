package dev.nabla.spark.ml;

import dev.nabla.data.Dataset;
import dev.nabla.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * A regression problem for the Spark ML tests: five standard normal features a … e and a price in its own units,
 * {@code y = 500 + 80 · (2a − b + sin 2c + d²/2 − ae)} plus normal noise of standard deviation 2; rows drawn from a
 * seed, so every test sees the same ones.
 */
final class RegressionFrames {
    static final String[] FEATURES = {"a", "b", "c", "d", "e"};

    private RegressionFrames() {
    }

    /** {@code n} rows drawn from {@code seed}: the five features, then y. */
    static double[][] rows(int n, long seed) {
        Random random = new Random(seed);
        double[][] rows = new double[n][6];
        for (double[] r : rows) {
            for (int j = 0; j < 5; j++) {
                r[j] = random.nextGaussian();
            }
            r[5] = 500 + 80 * (2 * r[0] - r[1] + Math.sin(2 * r[2]) + r[3] * r[3] / 2 - r[0] * r[4])
                    + 2 * random.nextGaussian();
        }
        return rows;
    }

    /** One double column per feature, then "y", the rows in order. */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, double[][] rows) {
        List<StructField> fields = new ArrayList<>();
        for (String name : FEATURES) {
            fields.add(DataTypes.createStructField(name, DataTypes.DoubleType, false));
        }
        fields.add(DataTypes.createStructField("y", DataTypes.DoubleType, true));
        List<Row> out = new ArrayList<>();
        for (double[] r : rows) {
            out.add(RowFactory.create(r[0], r[1], r[2], r[3], r[4], r[5]));
        }
        return spark.createDataFrame(out, DataTypes.createStructType(fields));
    }

    /** The rows as nabla-core's regression dataset (floats, as the estimator reads them). */
    static Dataset dataset(double[][] rows) {
        float[] x = new float[rows.length * 5];
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 5; j++) {
                x[i * 5 + j] = (float) rows[i][j];
            }
            y[i] = (float) rows[i][5];
        }
        return Dataset.regression("y", x, Shape.of(5), y, 1);
    }
}
