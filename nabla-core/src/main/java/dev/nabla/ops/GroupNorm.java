package dev.nabla.ops;

import dev.nabla.kernel.RowNormKernels;
import dev.nabla.tensor.Tensor;

/**
 * Group normalisation (PyTorch's {@code group_norm}; Wu and He, 2018): the C channels of x {@code [N, C, *]} are cut
 * into G groups of C/G consecutive channels, and each sample's group — its C/G channels with all their S spatial
 * values, M = (C/G)·S values — is normalised on its own, then scaled and shifted per channel by weight γ and bias β
 * {@code [C]} (either may be null: 1 and 0):
 * <pre>
 * y = γ_c · (x − μ_{n,g}) / σ_{n,g} + β_c,   σ = √(v + ε),   μ, v = mean and biased variance of the M values
 * </pre>
 * G = 1 normalises each sample as a whole (layer norm over {@code [C, *]} with per-channel γ); G = C normalises each
 * channel of each sample (instance norm).
 *
 * <p><b>Backward</b>: each (sample, group) is a row normalised by its own statistics, so, as derived in
 * {@code LayerNorm} with ĝ = g·γ_c and sums over the row's M values,
 * <pre>
 * dx = (1/σ) · (ĝ − Σ ĝ / M − x̂ · Σ ĝ·x̂ / M),   dγ_c = Σ_{n,s} g·x̂,   dβ_c = Σ_{n,s} g
 * </pre>
 * Fused for the reason layer norm is; a sample's group is contiguous in memory, so the loops are
 * {@link RowNormKernels}'s with one γ per channel.
 */
final class GroupNorm extends RowNorm {
    private final int groups;

    GroupNorm(int groups, double eps) {
        super(eps);
        this.groups = groups;
    }

    @Override
    int rowLength(Tensor x) {
        return x.size() / (x.dim(0) * groups);
    }

    @Override
    int groups(Tensor x) {
        return groups;
    }

    @Override
    int spatial(Tensor x) {
        return x.size() / (x.dim(0) * x.dim(1));
    }
}
