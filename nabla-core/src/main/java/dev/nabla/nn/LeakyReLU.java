package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/** Element-wise {@code x} for x &gt; 0, {@code slope · x} otherwise (default slope 0.01): a ReLU that never dies. */
public final class LeakyReLU extends ActivationLayer {
    /** The default slope for negative inputs, as PyTorch's. */
    public static final float DEFAULT_SLOPE = Functional.DEFAULT_LEAKY_SLOPE;

    private final float negativeSlope;

    /** With PyTorch's default slope, {@value #DEFAULT_SLOPE}. */
    public LeakyReLU() {
        this(DEFAULT_SLOPE);
    }

    /** With the given slope for negative inputs. */
    public LeakyReLU(float negativeSlope) {
        super(Activation.LEAKY_RELU);
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.leakyRelu(x, negativeSlope);
    }

    /** The slope applied to negative inputs. */
    public float negativeSlope() {
        return negativeSlope;
    }

    @Override
    protected String extraRepr() {
        return "negative_slope=" + negativeSlope;
    }
}
