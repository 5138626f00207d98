package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.ops.GeluApproximation;
import dev.nabla.tensor.Tensor;
import java.util.Objects;

/**
 * Element-wise Gaussian error linear unit, as {@code torch.nn.GELU}: x·Φ(x), or its tanh approximation. The
 * activation of BERT and GPT-style transformers: ReLU's shape with a smooth bend, and a small negative dip. No
 * parameters.
 */
public final class GELU extends Module {
    private final GeluApproximation approximation;

    /** The exact form, x·Φ(x) (PyTorch's default, {@code approximate='none'}). */
    public GELU() {
        this(GeluApproximation.NONE);
    }

    /** The exact form or the tanh approximation. */
    public GELU(GeluApproximation approximation) {
        this.approximation = Objects.requireNonNull(approximation, "approximation");
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.gelu(x, approximation);
    }

    /** Which form this layer computes. */
    public GeluApproximation approximation() {
        return approximation;
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximation + "'";
    }
}
