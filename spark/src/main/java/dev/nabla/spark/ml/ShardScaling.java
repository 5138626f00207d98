package dev.nabla.spark.ml;

import dev.nabla.data.Standardization;
import dev.nabla.spark.ShardData;
import dev.nabla.tensor.Shape;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The standardization of regression shards' features and targets, fitted on all of them, and the shards standardized
 * by it: what {@code nabla train} does to regression data, here over data that never meets on one machine. Each
 * shard's column sums, then its squared deviations from the means, are computed on its executor in row order and
 * added on the driver in shard order ({@link Standardization#ofSums}): the figures depend on the rows alone, not on
 * the executors.
 *
 * @param features the features' standardization
 * @param targets  the targets'
 */
record ShardScaling(Standardization features, Standardization targets) {
    /** Fits the standardizations on the {@code samples} rows of {@code shards} (two jobs). */
    static ShardScaling fit(JavaRDD<ShardData> shards, long samples) {
        List<double[][]> sums = shards.map(s -> new double[][] {sums(s.features(), width(s), null),
            sums(s.targets(), s.outputs(), null)}).collect();
        double[][] total = add(sums);
        double[] featureMeans = means(total[0], samples);
        double[] targetMeans = means(total[1], samples);
        double[][] squares = add(shards.map(s -> new double[][] {sums(s.features(), width(s), featureMeans),
            sums(s.targets(), s.outputs(), targetMeans)}).collect());
        return new ShardScaling(Standardization.ofSums(samples, total[0], squares[0]),
                Standardization.ofSums(samples, total[1], squares[1]));
    }

    /** The shards with standardized features and targets, each in its partition still. */
    JavaRDD<ShardData> apply(JavaRDD<ShardData> shards) {
        Standardization x = features;
        Standardization y = targets;
        return shards.map(s -> ShardData.regression(s.shard(), s.name(), x.apply(s.features()), s.sampleShape(),
                y.apply(s.targets()), s.outputs()));
    }

    private static int width(ShardData shard) {
        return Shape.of(shard.sampleShape()).size();
    }

    /** Per column of {@code rows}, the sum of its values, or with {@code means} of their squared deviations. */
    private static double[] sums(float[] rows, int width, double[] means) {
        double[] out = new double[width];
        for (int i = 0; i < rows.length; i++) {
            double v = means == null ? rows[i] : rows[i] - means[i % width];
            out[i % width] += means == null ? v : v * v;
        }
        return out;
    }

    /** The shards' sums added in shard order. */
    private static double[][] add(List<double[][]> parts) {
        double[][] total = {new double[parts.getFirst()[0].length], new double[parts.getFirst()[1].length]};
        for (double[][] part : parts) {
            for (int k = 0; k < 2; k++) {
                for (int j = 0; j < total[k].length; j++) {
                    total[k][j] += part[k][j];
                }
            }
        }
        return total;
    }

    private static double[] means(double[] sums, long samples) {
        double[] means = new double[sums.length];
        for (int j = 0; j < sums.length; j++) {
            means[j] = sums[j] / samples;
        }
        return means;
    }
}
