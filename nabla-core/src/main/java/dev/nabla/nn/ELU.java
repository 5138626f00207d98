package dev.nabla.nn;

import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/**
 * Element-wise exponential linear unit, as {@code torch.nn.ELU}: x for x &gt; 0, α(eˣ − 1) otherwise (default α = 1).
 * Smooth where ReLU has a kink, with negative outputs down to −α that keep the mean activation near 0 and leave no
 * unit dead. No parameters.
 */
public final class ELU extends Module {
    /** PyTorch's default α. */
    public static final double DEFAULT_ALPHA = 1.0;

    private final double alpha;

    /** With α = {@value #DEFAULT_ALPHA}. */
    public ELU() {
        this(DEFAULT_ALPHA);
    }

    /** With the given α, finite and at least 0. */
    public ELU(double alpha) {
        this.alpha = Checks.nonNegative("ELU's alpha", alpha);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.elu(x, alpha);
    }

    /** α, the value negative inputs approach. */
    public double alpha() {
        return alpha;
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
