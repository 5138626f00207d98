package dev.nabla.ops;

/**
 * The kinds of recurrent layer {@link Functional#recurrent} runs, named as PyTorch's {@code mode}: the Elman RNN with
 * tanh or relu, the LSTM and the GRU. Each kind has a number of gates, the blocks of H rows its weights stack
 * ({@code weight_ih} is {@code [gates·H, in]}).
 */
public enum RecurrentMode {
    /** {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}. */
    RNN_TANH(1),
    /** {@code h' = relu(W_ih x + b_ih + W_hh h + b_hh)}. */
    RNN_RELU(1),
    /** Long short-term memory: gates i, f, g, o and a cell state c beside h. */
    LSTM(4),
    /** Gated recurrent unit: gates r, z, n. */
    GRU(3);

    private final int gates;

    RecurrentMode(int gates) {
        this.gates = gates;
    }

    /** The number of gates: the weights hold {@code gates·H} rows. */
    public int gates() {
        return gates;
    }

    /** True for the LSTM, the one kind with a cell state c besides the hidden state h. */
    public boolean hasCell() {
        return this == LSTM;
    }
}
