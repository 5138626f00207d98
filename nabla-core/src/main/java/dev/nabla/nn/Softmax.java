package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/**
 * Softmax along a dimension (default: the last) as a layer: {@code y_i = e^(x_i) / Σ_j e^(x_j)}, computed stably.
 * Use it to read probabilities off a trained classifier; to train, give the logits to
 * {@link dev.nabla.loss.CrossEntropyLoss}, which includes the softmax.
 */
public final class Softmax extends Module {
    private final int dim;

    /** Softmax over the last dimension. */
    public Softmax() {
        this(-1);
    }

    /** Softmax along {@code dim}. */
    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.softmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }

    /**
     * The full Jacobian of softmax at its output y: {@code J_ij = ∂y_i/∂x_j = y_i(δ_ij − y_j)}, a symmetric
     * C×C matrix whose rows sum to 0 (adding a constant to every logit changes nothing). For y {@code [C]} the
     * result is {@code [C, C]}; for {@code [N, C]}, one matrix per row, {@code [N, C, C]}. Training never builds
     * it (the backward pass uses the product {@code y ⊙ (g − ⟨g, y⟩)}); it is here to look at and to test.
     */
    public static Tensor jacobian(Tensor y) {
        if (y.rank() != 1 && y.rank() != 2) {
            throw new IllegalArgumentException("softmax Jacobian needs probabilities [C] or [N, C], got " + y.shape());
        }
        int c = y.dim(-1);
        int rows = y.size() / Math.max(c, 1);
        Tensor j = y.rank() == 1 ? Tensor.zeros(c, c) : Tensor.zeros(rows, c, c);
        float[] p = y.data();
        float[] out = j.data();
        for (int r = 0; r < rows; r++) {
            for (int a = 0; a < c; a++) {
                for (int b = 0; b < c; b++) {
                    float ya = p[r * c + a];
                    out[(r * c + a) * c + b] = ya * ((a == b ? 1f : 0f) - p[r * c + b]);
                }
            }
        }
        return j;
    }
}
