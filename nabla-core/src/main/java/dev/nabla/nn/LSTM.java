package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.RecurrentMode;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * Long short-term memory, PyTorch's {@code torch.nn.LSTM}: per layer and step, gates i (input), f (forget), g (cell
 * candidate), o (output),
 * <pre>
 * i = σ(W_ii x + b_ii + W_hi h + b_hi)   f = σ(W_if x + b_if + W_hf h + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = σ(W_io x + b_io + W_ho h + b_ho)
 * c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
 * </pre>
 * The cell state c is carried from step to step through a product with f only, so its gradient does not vanish
 * while the forget gate stays open: the fix for the RNN's vanishing gradient. Shapes, parameters and initialisation
 * as {@link Recurrent} says, with four gates (G = 4) in the order i, f, g, o; {@link RecurrentOptions#forgetBias}
 * can start the forget gate open.
 */
public final class LSTM extends Recurrent {
    /** An LSTM of one layer, initialised from {@link Init#defaultGenerator()}. */
    public LSTM(int inputSize, int hiddenSize) {
        this(RecurrentOptions.of(inputSize, hiddenSize), Init.defaultGenerator());
    }

    /**
     * An LSTM with these options, initialised from {@code rng} (then the forget gate's bias, when
     * {@link RecurrentOptions#forgetBias} is given).
     *
     * @throws IllegalArgumentException for a nonlinearity other than tanh (an RNN option)
     */
    public LSTM(RecurrentOptions options, Rng rng) {
        super(check(options), RecurrentMode.LSTM, rng);
        if (!Double.isNaN(options.forgetBias())) {
            int h = options.hiddenSize();
            namedParameters().forEach((name, p) -> {
                if (name.startsWith("bias_ih")) {
                    Arrays.fill(p.data(), h, 2 * h, (float) options.forgetBias());
                } else if (name.startsWith("bias_hh")) {
                    Arrays.fill(p.data(), h, 2 * h, 0f);
                }
            });
        }
    }

    private static RecurrentOptions check(RecurrentOptions options) {
        if (options.nonlinearity() != Activation.TANH) {
            throw new IllegalArgumentException("LSTM has fixed activations (σ and tanh): nonlinearity "
                    + options.nonlinearity() + " is an RNN option; leave it tanh");
        }
        return options;
    }

    /** Runs the layers from the hidden state h0 and the cell state c0 (either null for zeros). */
    @Override
    public Output run(Tensor x, Tensor h0, Tensor c0) {
        return super.run(x, h0, c0);
    }
}
