package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.RowNormKernels;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * What {@link LayerNorm} and {@link GroupNorm} share: x is cut into contiguous rows, each row is normalised by its own
 * mean and biased variance, and then scaled and shifted by γ and β, whose layout the subclass gives ({@link #groups},
 * {@link #spatial}: one γ per value of a row, or one per channel). The forward and the backward, derived in
 * {@link LayerNorm}, are {@link RowNormKernels}'s loops.
 */
abstract sealed class RowNorm extends Function permits LayerNorm, GroupNorm {
    private final double eps;
    private Tensor x;
    private Tensor gamma;
    private Shape affineShape;
    private float[] mean;
    private float[] invStd;

    RowNorm(double eps) {
        this.eps = eps;
    }

    /** The values per normalised row of {@code x}. */
    abstract int rowLength(Tensor x);

    /** How many rows share one set of γ, β entries side by side (the groups of a sample), for the kernels. */
    abstract int groups(Tensor x);

    /** How many consecutive values of a row share one γ (a channel's spatial values), for the kernels. */
    abstract int spatial(Tensor x);

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        gamma = in[1];
        Tensor beta = in[2];
        affineShape = gamma != null ? gamma.shape() : beta != null ? beta.shape() : null;
        int rows = x.size() / rowLength(x);
        mean = new float[rows];
        invStd = new float[rows];
        RowNormKernels.meanInvStd(x.data(), rowLength(x), eps, mean, invStd);
        Tensor y = Tensor.zeros(x.shape());
        RowNormKernels.normalize(x.data(), rowLength(x), groups(x), spatial(x), mean, invStd, data(gamma), data(beta),
                y.data());
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = needsInputGrad(0) ? Tensor.zeros(x.shape()) : null;
        Tensor dgamma = needsInputGrad(1) ? Tensor.zeros(affineShape) : null;
        Tensor dbeta = needsInputGrad(2) ? Tensor.zeros(affineShape) : null;
        RowNormKernels.backward(x.data(), g.data(), rowLength(x), groups(x), spatial(x), mean, invStd, data(gamma),
                data(dx), data(dgamma), data(dbeta));
        return new Tensor[] {dx, dgamma, dbeta};
    }

    private static float[] data(Tensor t) {
        return t == null ? null : t.data();
    }
}
