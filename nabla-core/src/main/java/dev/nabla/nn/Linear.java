package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * A fully connected layer, {@code y = x · Wᵀ + b}: x {@code [N, in]}, weight {@code [out, in]} (PyTorch's layout,
 * so weights compare and load one to one), bias {@code [out]}, y {@code [N, out]}.
 *
 * <p>Initialised as PyTorch does: weight and bias uniform in ±1/√in (see {@link Init#pytorchDefault}).
 */
public final class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    /** A layer with bias, initialised from {@link Init#defaultGenerator()}. */
    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Init.defaultGenerator());
    }

    /** A layer with bias, initialised from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, Rng rng) {
        this(inFeatures, outFeatures, true, rng);
    }

    /** A layer, with or without bias, initialised from {@code rng}. */
    public Linear(int inFeatures, int outFeatures, boolean bias, Rng rng) {
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("Linear needs positive sizes, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? registerParameter("bias", Tensor.zeros(outFeatures)) : null;
        Init.pytorchDefault(weight, this.bias, rng);
    }

    /** A layer that takes {@code weight} {@code [out, in]} and {@code bias} {@code [out]} (or null) as its own. */
    Linear(Tensor weight, Tensor bias) {
        if (weight.rank() != 2 || bias != null && (bias.rank() != 1 || bias.dim(0) != weight.dim(0))) {
            throw new IllegalArgumentException("Linear needs a weight [out, in] and a bias [out], got "
                    + weight.shape() + " and " + (bias == null ? "none" : bias.shape()));
        }
        this.inFeatures = weight.dim(1);
        this.outFeatures = weight.dim(0);
        this.weight = registerParameter("weight", weight);
        this.bias = bias == null ? null : registerParameter("bias", bias);
    }

    /**
     * @param x {@code [N, in]}
     * @return {@code [N, out]}
     * @throws IllegalArgumentException when x is not {@code [N, in]}, saying how to fix it
     */
    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return Functional.linear(x, weight, bias);
    }

    /** This layer followed by {@code activation} ({@link Functional#linear(Tensor, Tensor, Tensor, Activation)}). */
    Tensor forward(Tensor x, Activation activation) {
        checkInput(x);
        return Functional.linear(x, weight, bias, activation);
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != inFeatures) {
            String name = "Linear(" + inFeatures + "→" + outFeatures + ")";
            String fix;
            if (x.rank() > 2 && x.size() / x.dim(0) == inFeatures) {
                fix = "flatten it first (x.flatten() or a Flatten layer)";
            } else if (x.rank() == 1 && x.dim(0) == inFeatures) {
                fix = "a single sample needs a batch dimension: x.reshape(1, -1)";
            } else {
                fix = "expected [N, " + inFeatures + "]; check the previous layer's output size";
            }
            throw new IllegalArgumentException(name + " got input " + x.shape() + ": " + fix);
        }
    }

    /** The weight {@code [out, in]}. */
    public Tensor weight() {
        return weight;
    }

    /** The bias {@code [out]}, or {@code null} for a layer without one. */
    public Tensor bias() {
        return bias;
    }

    /** Input size. */
    public int inFeatures() {
        return inFeatures;
    }

    /** Output size. */
    public int outFeatures() {
        return outFeatures;
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null ? "True" : "False");
    }
}
