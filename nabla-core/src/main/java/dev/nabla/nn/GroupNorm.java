package dev.nabla.nn;

import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;
import java.util.Objects;

/**
 * Group normalisation (Wu and He, 2018): the C channels are cut into G groups of C/G consecutive channels, and each
 * sample's group is normalised with its own mean and biased variance (over its channels and all their spatial
 * values), then scaled and shifted per channel by learned γ and β:
 * <pre>
 * y = γ_c · (x − μ_{n,g}) / √(v_{n,g} + ε) + β_c
 * </pre>
 * x {@code [N, C, *]}, y of x's shape. Parameters {@code weight} (γ, starts at 1) and {@code bias} (β, starts at
 * 0), both {@code [C]}, when {@code affine}; no buffers. G = 1 normalises each sample as a whole (layer norm over
 * {@code [C, *]}, with per-channel γ), G = C each channel of each sample (instance norm).
 *
 * <p>Like {@link LayerNorm}, and unlike {@link BatchNorm}, it does not depend on the batch: training and evaluation
 * agree, and it works with a batch of one. It is the usual choice for convolutional networks trained with small
 * batches (detection, segmentation), where batch statistics are too noisy. The maths and the backward are in
 * {@link Functional#groupNorm}'s op.
 */
public final class GroupNorm extends Normalization {
    /** ε, added to the variance: 1e-5 (PyTorch's default). */
    public static final double DEFAULT_EPS = 1e-5;

    /**
     * The options of {@link GroupNorm}.
     *
     * @param eps    ε, finite and ≥ 0
     * @param affine learn γ and β (else γ = 1, β = 0, and the layer has no parameters)
     */
    public record Options(double eps, boolean affine) {
        /** @throws IllegalArgumentException for a negative or non-finite eps */
        public Options {
            Checks.nonNegative("GroupNorm eps", eps);
        }

        /** {@link #DEFAULT_EPS} with learned γ and β: PyTorch's defaults. */
        public static Options defaults() {
            return new Options(DEFAULT_EPS, true);
        }

        /** A copy with ε. */
        public Options withEps(double eps) {
            return new Options(eps, affine);
        }

        /** A copy with or without learned γ and β. */
        public Options withAffine(boolean affine) {
            return new Options(eps, affine);
        }
    }

    private final int numGroups;
    private final int numChannels;
    private final Options options;

    /** {@code numGroups} groups of the {@code numChannels} channels (G must divide C), with PyTorch's defaults. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, Options.defaults());
    }

    /** {@code numGroups} groups of the {@code numChannels} channels (G must divide C), with the given options. */
    public GroupNorm(int numGroups, int numChannels, Options options) {
        if (numGroups < 1 || numChannels < 1 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm(" + numGroups + ", " + numChannels + "): the number of "
                    + "groups must be positive and divide the number of channels");
        }
        super(Objects.requireNonNull(options, "options").affine(), numChannels);
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.options = options;
    }

    /**
     * @param x {@code [N, C, *]}
     * @return y, of x's shape
     * @throws IllegalArgumentException when x does not have C channels on axis 1
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.dim(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm(" + numGroups + ", " + numChannels + ") got input "
                    + x.shape() + ": expected [N, " + numChannels + ", *] with the channels on axis 1");
        }
        return Functional.groupNorm(x, numGroups, weight(), bias(), options.eps());
    }

    /** G, the number of groups. */
    public int numGroups() {
        return numGroups;
    }

    /** C, the number of channels. */
    public int numChannels() {
        return numChannels;
    }

    /** The options this layer was built with. */
    public Options options() {
        return options;
    }

    /** As PyTorch prints it: {@code 2, 4, eps=1e-05, affine=True}. */
    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + pythonFloat(options.eps()) + ", affine="
                + (options.affine() ? "True" : "False");
    }
}
