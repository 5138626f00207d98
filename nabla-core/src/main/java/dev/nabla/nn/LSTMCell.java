package dev.nabla.nn;

import dev.nabla.ops.RecurrentMode;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * One step of the LSTM, PyTorch's {@code torch.nn.LSTMCell}, with the gates and formula of {@link LSTM}. Shapes and
 * parameters as {@link RecurrentCell} says (four gates, i, f, g, o).
 */
public final class LSTMCell extends RecurrentCell {
    /**
     * The LSTM's two states after a step.
     *
     * @param h the hidden state {@code [N, H]}
     * @param c the cell state {@code [N, H]}
     */
    public record State(Tensor h, Tensor c) {
    }

    /** A cell with biases, initialised from {@link Init#defaultGenerator()}. */
    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Init.defaultGenerator());
    }

    /** A cell with or without biases, initialised from {@code rng}. */
    public LSTMCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, bias, RecurrentMode.LSTM, rng);
    }

    /** The new states from x {@code [N, I]} and h, c {@code [N, H]} (either null for zeros). */
    public State step(Tensor x, Tensor h, Tensor c) {
        Tensor[] next = advance(x, h, c);
        return new State(next[0], next[1]);
    }

    /** The new states from x and a previous state (null for zeros). */
    public State step(Tensor x, State state) {
        return state == null ? step(x, null, null) : step(x, state.h(), state.c());
    }
}
