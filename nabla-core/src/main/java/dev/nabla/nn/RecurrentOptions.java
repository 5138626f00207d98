package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.Checks;

/**
 * The options of a recurrent layer ({@link RNN}, {@link LSTM}, {@link GRU}), named and defaulted as PyTorch's
 * {@code torch.nn.RNN} arguments. Start from {@link #of(int, int)} and change what differs:
 * <pre>{@code
 * new LSTM(RecurrentOptions.of(28, 128).batchFirst(true).numLayers(2).dropout(0.2), rng)
 * }</pre>
 *
 * @param inputSize     I, features per step, ≥ 1
 * @param hiddenSize    H, units of the hidden state, ≥ 1
 * @param numLayers     L, layers stacked (each reads the previous one's output), ≥ 1
 * @param bias          whether the layers have the biases b_ih and b_hh
 * @param batchFirst    inputs and outputs {@code [N, T, ·]} instead of {@code [T, N, ·]} (h_0 and h_n keep
 *                      {@code [L·D, N, H]}, as in PyTorch)
 * @param dropout       probability of dropping each output of every layer but the last while training, in [0, 1)
 * @param bidirectional a second pass of each layer from the last step to the first, its output beside the first's
 *                      (D = 2)
 * @param nonlinearity  the RNN's activation, {@link Activation#TANH} or {@link Activation#RELU}; the LSTM and the GRU
 *                      take only the default, TANH
 * @param forgetBias    LSTM only: NaN for PyTorch's initialisation, else the initial value of b_if + b_hf, the forget
 *                      gate's bias (see {@link #forgetBias(double)})
 */
public record RecurrentOptions(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
                               double dropout, boolean bidirectional, Activation nonlinearity, double forgetBias) {
    /** Checks each option, with a message naming it and the range it must be in. */
    public RecurrentOptions {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1 (the features per step), got " + inputSize);
        }
        if (hiddenSize < 1) {
            throw new IllegalArgumentException("hiddenSize must be at least 1 (the units of the hidden state), got "
                    + hiddenSize);
        }
        if (numLayers < 1) {
            throw new IllegalArgumentException("numLayers must be at least 1, got " + numLayers);
        }
        Checks.unitOpen("dropout", dropout);
        if (nonlinearity != Activation.TANH && nonlinearity != Activation.RELU) {
            throw new IllegalArgumentException("nonlinearity must be tanh or relu (as in PyTorch's RNN), got "
                    + nonlinearity);
        }
        if (Double.isInfinite(forgetBias)) {
            throw new IllegalArgumentException("forgetBias must be finite (or NaN for PyTorch's initialisation), got "
                    + forgetBias);
        }
        if (!Double.isNaN(forgetBias) && !bias) {
            throw new IllegalArgumentException("forgetBias " + forgetBias + " sets the forget gate's bias, but bias is "
                    + "false: keep the biases (bias(true)) or drop forgetBias");
        }
    }

    /** I inputs and H hidden units; one layer, biases, sequence first, no dropout, one direction, tanh. */
    public static RecurrentOptions of(int inputSize, int hiddenSize) {
        return new RecurrentOptions(inputSize, hiddenSize, 1, true, false, 0, false, Activation.TANH, Double.NaN);
    }

    /** These options with L layers. */
    public RecurrentOptions numLayers(int layers) {
        return new RecurrentOptions(inputSize, hiddenSize, layers, bias, batchFirst, dropout, bidirectional,
                nonlinearity, forgetBias);
    }

    /** These options with or without biases. */
    public RecurrentOptions bias(boolean withBias) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, withBias, batchFirst, dropout, bidirectional,
                nonlinearity, forgetBias);
    }

    /** These options with the batch first ({@code [N, T, I]}) or not ({@code [T, N, I]}). */
    public RecurrentOptions batchFirst(boolean first) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, bias, first, dropout, bidirectional,
                nonlinearity, forgetBias);
    }

    /** These options with dropout p in [0, 1) between layers (training only; no effect with one layer). */
    public RecurrentOptions dropout(double p) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, bias, batchFirst, p, bidirectional,
                nonlinearity, forgetBias);
    }

    /** These options with one direction or two. */
    public RecurrentOptions bidirectional(boolean both) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, both,
                nonlinearity, forgetBias);
    }

    /** These options with the RNN's activation, tanh or relu (RNN only). */
    public RecurrentOptions nonlinearity(Activation activation) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional,
                activation, forgetBias);
    }

    /**
     * These options with the LSTM's forget gate biased to {@code value} at the start (LSTM only): after PyTorch's
     * initialisation, the forget gate's block of b_ih is set to the value and that of b_hh to 0, so their sum, the
     * gate's bias, is the value. Why: with a bias near 0 the forget gate starts near σ(0) = 1/2, so the cell halves
     * its memory every step and the gradient through c vanishes over long sequences before training can learn to
     * keep it; a bias of 1 or more starts the gate near 1, remembering (Gers, Schmidhuber and Cummins 2000;
     * Jozefowicz, Zaremba and Sutskever 2015 found 1 helps on most tasks). NaN keeps PyTorch's initialisation.
     */
    public RecurrentOptions forgetBias(double value) {
        return new RecurrentOptions(inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional,
                nonlinearity, value);
    }

    /** D: 2 when bidirectional, else 1. */
    public int directions() {
        return bidirectional ? 2 : 1;
    }
}
