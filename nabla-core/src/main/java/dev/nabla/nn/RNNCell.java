package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.ops.RecurrentMode;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * One step of the Elman RNN, PyTorch's {@code torch.nn.RNNCell}: {@code h' = f(W_ih x + b_ih + W_hh h + b_hh)}, f
 * tanh or relu. Shapes and parameters as {@link RecurrentCell} says (one gate).
 */
public final class RNNCell extends RecurrentCell {
    private final Activation nonlinearity;

    /** A tanh cell with biases, initialised from {@link Init#defaultGenerator()}. */
    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Activation.TANH, Init.defaultGenerator());
    }

    /** A cell with or without biases and with f = tanh or relu, initialised from {@code rng}. */
    public RNNCell(int inputSize, int hiddenSize, boolean bias, Activation nonlinearity, Rng rng) {
        super(inputSize, hiddenSize, bias, mode(nonlinearity), rng);
        this.nonlinearity = nonlinearity;
    }

    private static RecurrentMode mode(Activation nonlinearity) {
        return switch (nonlinearity) {
            case TANH -> RecurrentMode.RNN_TANH;
            case RELU -> RecurrentMode.RNN_RELU;
            default -> throw new IllegalArgumentException("RNNCell's nonlinearity must be tanh or relu, got "
                    + nonlinearity);
        };
    }

    /** The new hidden state {@code [N, H]} from x {@code [N, I]} and h {@code [N, H]} (null for zeros). */
    public Tensor step(Tensor x, Tensor h) {
        return advance(x, h, null)[0];
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + (nonlinearity == Activation.TANH ? "" : ", nonlinearity=" + nonlinearity);
    }
}
