package dev.nabla.nn;

import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Layer normalisation (Ba, Kiros and Hinton, 2016): each sample is normalised over its last dimensions (the
 * normalized shape) with its own mean and biased variance, then scaled and shifted element-wise by learned γ and
 * β of the normalized shape:
 * <pre>
 * y = γ ⊙ (x − μ) / √(v + ε) + β      μ, v over the normalized shape of one sample
 * </pre>
 * x {@code [*, D₁, …, D_k]}, normalized shape {@code [D₁, …, D_k]}, y of x's shape. Parameters {@code weight} (γ,
 * starts at 1) and {@code bias} (β, starts at 0) of the normalized shape when {@code elementwiseAffine}; no buffers.
 *
 * <p>Unlike {@link BatchNorm} it uses no statistics of the batch: training and evaluation mode compute the same
 * thing, a batch of one sample is fine, and a sample's output does not depend on the others. That makes it the
 * normalisation of transformers and recurrent networks, and the one to use when batches are small.
 * The maths and the backward are in {@link Functional#layerNorm}'s op.
 */
public final class LayerNorm extends Normalization {
    /** ε, added to the variance: 1e-5 (PyTorch's default). */
    public static final double DEFAULT_EPS = 1e-5;

    /**
     * The options of {@link LayerNorm}.
     *
     * @param eps               ε, finite and ≥ 0
     * @param elementwiseAffine learn γ and β (else γ = 1, β = 0, and the layer has no parameters)
     */
    public record Options(double eps, boolean elementwiseAffine) {
        /** @throws IllegalArgumentException for a negative or non-finite eps */
        public Options {
            Checks.nonNegative("LayerNorm eps", eps);
        }

        /** {@link #DEFAULT_EPS} with learned γ and β: PyTorch's defaults. */
        public static Options defaults() {
            return new Options(DEFAULT_EPS, true);
        }

        /** A copy with ε. */
        public Options withEps(double eps) {
            return new Options(eps, elementwiseAffine);
        }

        /** A copy with or without learned γ and β. */
        public Options withElementwiseAffine(boolean affine) {
            return new Options(eps, affine);
        }
    }

    private final int[] normalizedShape;
    private final Options options;

    /** Normalisation over the last dimensions {@code normalizedShape} (one or more), with PyTorch's defaults. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, Options.defaults());
    }

    /** Normalisation over the last dimensions {@code normalizedShape} (one or more), with the given options. */
    public LayerNorm(int[] normalizedShape, Options options) {
        if (normalizedShape.length == 0 || Arrays.stream(normalizedShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("LayerNorm needs a normalized shape of one or more positive sizes, got "
                    + Arrays.toString(normalizedShape));
        }
        super(Objects.requireNonNull(options, "options").elementwiseAffine(), normalizedShape);
        this.normalizedShape = normalizedShape.clone();
        this.options = options;
    }

    /**
     * @param x {@code [*, D₁, …, D_k]} ending in the normalized shape
     * @return y, of x's shape
     */
    @Override
    public Tensor forward(Tensor x) {
        return Functional.layerNorm(x, normalizedShape, weight(), bias(), options.eps());
    }

    /** The normalized shape (a copy). */
    public int[] normalizedShape() {
        return normalizedShape.clone();
    }

    /** The options this layer was built with. */
    public Options options() {
        return options;
    }

    /** As PyTorch prints it: {@code (5,), eps=1e-05, elementwise_affine=True}. */
    @Override
    protected String extraRepr() {
        StringBuilder shape = new StringBuilder("(");
        for (int d : normalizedShape) {
            shape.append(d).append(normalizedShape.length == 1 ? "," : ", ");
        }
        String dims = normalizedShape.length == 1 ? shape + ")" : shape.substring(0, shape.length() - 2) + ")";
        return dims + ", eps=" + pythonFloat(options.eps()) + ", elementwise_affine="
                + (options.elementwiseAffine() ? "True" : "False");
    }
}
