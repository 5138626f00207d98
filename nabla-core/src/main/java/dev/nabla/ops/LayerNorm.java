package dev.nabla.ops;

import dev.nabla.kernel.RowNormKernels;
import dev.nabla.tensor.Tensor;

/**
 * Layer normalisation (PyTorch's {@code layer_norm}): x {@code [*, D₁, …, D_k]} is normalised over its last k
 * dimensions (the normalized shape, D = D₁·…·D_k values per row), each row on its own, then scaled and shifted
 * element-wise by weight γ and bias β of the normalized shape (either may be null: 1 and 0):
 * <pre>
 * y = γ ⊙ x̂ + β,   x̂ = (x − μ) / σ,   μ = mean of the row,   σ = √(v + ε),   v = biased variance of the row
 * </pre>
 * <p><b>Backward</b>, per row, with g = dL/dy and ĝ = g ⊙ γ (the gradient reaching x̂): the row is normalised by its
 * own statistics exactly as a batch-norm channel is by the batch's (see {@code BatchNorm}), so with sums over the
 * row's D values
 * <pre>
 * dx = (1/σ) · (ĝ − Σ ĝ / D − x̂ · Σ ĝ·x̂ / D)
 * </pre>
 * and, summed over all rows, {@code dγ = Σ g ⊙ x̂}, {@code dβ = Σ g}.
 * Fused for the reason batch norm is: two passes and three small saved arrays instead of a chain of six ops.
 * The loops are {@link RowNormKernels}'s, with one γ per value of the row.
 */
final class LayerNorm extends RowNorm {
    private final int d;

    /** A layer norm over rows of {@code d} values (the size of the normalized shape). */
    LayerNorm(int d, double eps) {
        super(eps);
        this.d = d;
    }

    @Override
    int rowLength(Tensor x) {
        return d;
    }

    @Override
    int groups(Tensor x) {
        return 1;
    }

    @Override
    int spatial(Tensor x) {
        return 1;
    }
}
