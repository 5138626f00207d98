package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.RowNormKernels;
import dev.nabla.tensor.Shape;
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
final class GroupNorm extends Function {
    private final int groups;
    private final double eps;
    private Tensor x;
    private Tensor gamma;
    private Shape affineShape;
    private float[] mean;
    private float[] invStd;

    GroupNorm(int groups, double eps) {
        this.groups = groups;
        this.eps = eps;
    }

    private int rowLength() {
        return x.size() / (x.dim(0) * groups);
    }

    private int spatial() {
        return x.size() / (x.dim(0) * x.dim(1));
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        gamma = in[1];
        Tensor beta = in[2];
        affineShape = gamma != null ? gamma.shape() : beta != null ? beta.shape() : null;
        int rows = x.dim(0) * groups;
        mean = new float[rows];
        invStd = new float[rows];
        RowNormKernels.meanInvStd(x.data(), rowLength(), eps, mean, invStd);
        Tensor y = Tensor.zeros(x.shape());
        RowNormKernels.normalize(x.data(), rowLength(), groups, spatial(), mean, invStd, LayerNorm.data(gamma),
                LayerNorm.data(beta), y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dgamma = needsInputGrad(1) ? Tensor.zeros(affineShape) : null;
        Tensor dbeta = needsInputGrad(2) ? Tensor.zeros(affineShape) : null;
        RowNormKernels.backward(x.data(), g.data(), rowLength(), groups, spatial(), mean, invStd,
                LayerNorm.data(gamma), LayerNorm.data(dx), LayerNorm.data(dgamma), LayerNorm.data(dbeta));
        return new Tensor[] {dx, dgamma, dbeta};
    }
}
