package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.RecurrentMode;
import dev.nabla.tensor.Rng;

/**
 * The gated recurrent unit, PyTorch's {@code torch.nn.GRU}: per layer and step, gates r (reset), z (update) and
 * the candidate n,
 * <pre>
 * r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
 * n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))      h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * Where z is near 1 the state is carried over unchanged, and so is its gradient. Shapes, parameters and
 * initialisation as {@link Recurrent} says, with three gates (G = 3) in the order r, z, n.
 */
public final class GRU extends Recurrent {
    /** A GRU of one layer, initialised from {@link Init#defaultGenerator()}. */
    public GRU(int inputSize, int hiddenSize) {
        this(RecurrentOptions.of(inputSize, hiddenSize), Init.defaultGenerator());
    }

    /**
     * A GRU with these options, initialised from {@code rng}.
     *
     * @throws IllegalArgumentException for a nonlinearity other than tanh or a forgetBias (options of the RNN and
     *                                  the LSTM)
     */
    public GRU(RecurrentOptions options, Rng rng) {
        super(check(options), RecurrentMode.GRU, rng);
    }

    private static RecurrentOptions check(RecurrentOptions options) {
        if (options.nonlinearity() != Activation.TANH) {
            throw new IllegalArgumentException("GRU has fixed activations (σ and tanh): nonlinearity "
                    + options.nonlinearity() + " is an RNN option; leave it tanh");
        }
        if (!Double.isNaN(options.forgetBias())) {
            throw new IllegalArgumentException("GRU has no forget gate: forgetBias is an LSTM option; leave it NaN");
        }
        return options;
    }
}
