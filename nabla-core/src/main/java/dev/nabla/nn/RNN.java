package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.RecurrentMode;
import dev.nabla.tensor.Rng;

/**
 * The Elman RNN, PyTorch's {@code torch.nn.RNN}: per layer and step {@code h_t = f(W_ih x_t + b_ih + W_hh h_{t−1}
 * + b_hh)} with f tanh (default) or relu ({@link RecurrentOptions#nonlinearity}). Shapes, parameters and
 * initialisation as {@link Recurrent} says, with one gate (G = 1).
 * <p><b>Note:</b> the gradient through T steps is multiplied T times by W_hhᵀ and f′: over long sequences it
 * vanishes (or explodes), which is what {@link LSTM} and {@link GRU} were made to avoid.
 */
public final class RNN extends Recurrent {
    /** A tanh RNN of one layer, initialised from {@link Init#defaultGenerator()}. */
    public RNN(int inputSize, int hiddenSize) {
        this(RecurrentOptions.of(inputSize, hiddenSize), Init.defaultGenerator());
    }

    /**
     * An RNN with these options, initialised from {@code rng}.
     *
     * @throws IllegalArgumentException for a forgetBias (an LSTM option)
     */
    public RNN(RecurrentOptions options, Rng rng) {
        super(check(options), options.nonlinearity() == Activation.RELU ? RecurrentMode.RNN_RELU
                : RecurrentMode.RNN_TANH, rng);
    }

    private static RecurrentOptions check(RecurrentOptions options) {
        if (!Double.isNaN(options.forgetBias())) {
            throw new IllegalArgumentException("RNN has no forget gate: forgetBias is an LSTM option; leave it NaN");
        }
        return options;
    }
}
