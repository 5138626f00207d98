package dev.nabla.data;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-column centring and scaling, {@code (v − mean) / std}, fitted on training data and then applied unchanged to
 * every other part and to new inputs (as scikit-learn's {@code StandardScaler}): networks train best on inputs and
 * targets of mean 0 and variance 1, and a regression model answers in the target's own units by {@link #invert}.
 *
 * <p>The standard deviation is the population one (divided by N); a constant column has a standard deviation of 1,
 * so it is only centred. Immutable and serializable (it travels with a model to where the model runs); the figures
 * are float32, as they are saved with a model.
 */
public final class Standardization implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private final float[] mean;
    private final float[] std;

    /**
     * The scaling with these per-column figures.
     *
     * @throws IllegalArgumentException when the lengths differ, a mean is not finite or a deviation not positive
     */
    public Standardization(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("a standardization needs one mean and one standard deviation per "
                    + "column, got " + mean.length + " and " + std.length);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Float.isFinite(mean[j]) || !(std[j] > 0) || !Float.isFinite(std[j])) {
                throw new IllegalArgumentException("column " + j + " has mean " + mean[j] + " and standard deviation "
                        + std[j] + ": the mean must be finite and the deviation positive and finite");
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * The mean and standard deviation of each of the {@code width} columns of {@code rows} (row-major), computed in
     * double.
     */
    public static Standardization fit(float[] rows, int width) {
        int n = rows.length / width;
        if (n == 0 || rows.length % width != 0) {
            throw new IllegalArgumentException(rows.length + " values are not a whole number (at least 1) of rows of "
                    + width);
        }
        double[] sum = new double[width];
        for (int i = 0; i < rows.length; i++) {
            sum[i % width] += rows[i];
        }
        double[] squares = new double[width];
        for (int i = 0; i < rows.length; i++) {
            double d = rows[i] - sum[i % width] / n;
            squares[i % width] += d * d;
        }
        return ofSums(n, sum, squares);
    }

    /**
     * The standardization of columns of {@code n} values each, whose values add up to {@code sums} and whose squared
     * deviations from their means ({@code sums / n}, in double) add up to {@code squares}: what {@link #fit} computes,
     * for sums gathered part by part elsewhere (shard by shard, say).
     */
    public static Standardization ofSums(long n, double[] sums, double[] squares) {
        float[] mean = new float[sums.length];
        float[] std = new float[sums.length];
        for (int j = 0; j < sums.length; j++) {
            mean[j] = (float) (sums[j] / n);
            float s = (float) Math.sqrt(squares[j] / n);
            std[j] = s > 0 ? s : 1;
        }
        return new Standardization(mean, std);
    }

    /** The standardization of {@code data}'s features, fitted on its samples. */
    public static Standardization ofFeatures(Dataset data) {
        return fit(data.featureValues(), data.features());
    }

    /**
     * One mean and standard deviation for all of {@code data}'s feature values, a standardization of width 1 (it
     * applies to every value alike): how images are standardized, the pixels of every position together, so that a
     * border pixel that is always 0 is not blown up by a deviation near 0.
     */
    public static Standardization ofAllFeatures(Dataset data) {
        return data.featureStore().ofAllValues();
    }

    /** The standardization of the targets of {@code data}, a regression dataset, fitted on its samples. */
    public static Standardization ofTargets(Dataset data) {
        return fit(data.targets(), data.outputs());
    }

    /** The number of columns. */
    public int width() {
        return mean.length;
    }

    /** The per-column means (a copy). */
    public float[] mean() {
        return mean.clone();
    }

    /** The per-column standard deviations, each positive (a copy). */
    public float[] std() {
        return std.clone();
    }

    /** The standard deviation of column {@code j}: how a unit of the scaled column reads in the original one. */
    public float std(int j) {
        return std[j];
    }

    /** {@code (v − mean) / std} per column, into a new array. */
    public float[] apply(float[] rows) {
        checkWidth(rows);
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int j = i % mean.length;
            out[i] = (rows[i] - mean[j]) / std[j];
        }
        return out;
    }

    /** {@code v · std + mean} per column, into a new array: the scaled values back in the original units. */
    public float[] invert(float[] rows) {
        checkWidth(rows);
        float[] out = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int j = i % mean.length;
            out[i] = rows[i] * std[j] + mean[j];
        }
        return out;
    }

    private void checkWidth(float[] rows) {
        if (rows.length % mean.length != 0) {
            throw new IllegalArgumentException(rows.length + " values are not whole rows of the " + mean.length
                    + " columns this standardization was fitted on");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    /** Like {@code standardization of 2 columns: mean [0.5, 1.0], std [0.1, 2.0]}. */
    @Override
    public String toString() {
        return "standardization of " + mean.length + " columns: mean " + Arrays.toString(mean) + ", std "
                + Arrays.toString(std);
    }
}
