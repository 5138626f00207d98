package dev.nabla.ops;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * How a batch normalisation in training shares its sums with the other shards of a data-parallel step, as PyTorch's
 * {@code SyncBatchNorm} does: the layer normalises each shard with the mean and variance of the whole global batch,
 * and its backward uses the whole batch's {@code Σ g} and {@code Σ g·x̂}, so that the shards together compute what
 * one pass over the whole batch would (up to the order of the float additions).
 *
 * <p>In the backward derivation of {@link Functional#batchNorm}, M, μ, σ and the two sums are then the global
 * batch's: {@code dx_j = γ/(M·σ) · (M·g_j − Σ g − x̂_j·Σ g·x̂)}. The shard's own part of {@code dγ = Σ g·x̂} and
 * {@code dβ = Σ g} stays its own: the shards' parameter gradients are added afterwards like every other.
 */
public interface BatchNormSync {
    /**
     * The statistics to normalise with: the whole batch's, given this shard's.
     *
     * @param count this shard's values per channel (samples × positions)
     * @param mean  this shard's mean per channel
     * @param var   this shard's biased variance per channel
     */
    Moments moments(long count, float[] mean, float[] var);

    /** The whole batch's {@code Σ g} and {@code Σ g·x̂} per channel, given this shard's. */
    Sums gradientSums(double[] sumDy, double[] sumDyXhat);

    /**
     * Per-channel statistics of a batch.
     *
     * @param count the values per channel
     * @param mean  their mean per channel
     * @param var   their biased variance per channel
     */
    record Moments(long count, float[] mean, float[] var) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /**
         * The statistics of the shards together, combined in the order given (shard order) with Chan, Golub and
         * LeVeque's pairwise update in double: {@code μ = Σ n_k·μ_k / M}, {@code v = Σ n_k·(v_k + (μ_k − μ)²) / M}.
         * Shards without values are skipped.
         */
        public static Moments combine(List<Moments> shards) {
            int c = shards.getFirst().mean.length;
            long total = 0;
            double[] sum = new double[c];
            for (Moments m : shards) {
                total += m.count;
                for (int i = 0; i < c; i++) {
                    sum[i] += (double) m.count * m.mean[i];
                }
            }
            float[] mean = new float[c];
            float[] var = new float[c];
            for (int i = 0; i < c; i++) {
                double mu = sum[i] / total;
                double m2 = 0;
                for (Moments m : shards) {
                    double d = m.mean[i] - mu;
                    m2 += m.count * (m.var[i] + d * d);
                }
                mean[i] = (float) mu;
                var[i] = (float) (m2 / total);
            }
            return new Moments(total, mean, var);
        }
    }

    /**
     * The gradient sums of a batch normalisation's backward, per channel.
     *
     * @param sumDy     {@code Σ g}
     * @param sumDyXhat {@code Σ g·x̂}
     */
    record Sums(double[] sumDy, double[] sumDyXhat) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The shards' sums added in the order given (shard order). */
        public static Sums add(List<Sums> shards) {
            int c = shards.getFirst().sumDy.length;
            double[] dy = new double[c];
            double[] dyXhat = new double[c];
            for (Sums s : shards) {
                for (int i = 0; i < c; i++) {
                    dy[i] += s.sumDy[i];
                    dyXhat[i] += s.sumDyXhat[i];
                }
            }
            return new Sums(dy, dyXhat);
        }
    }
}
