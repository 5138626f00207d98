package dev.nabla.nn;

import dev.nabla.ops.RecurrentMode;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * One step of the GRU, PyTorch's {@code torch.nn.GRUCell}, with the gates and formula of {@link GRU}. Shapes and
 * parameters as {@link RecurrentCell} says (three gates, r, z, n).
 */
public final class GRUCell extends RecurrentCell {
    /** A cell with biases, initialised from {@link Init#defaultGenerator()}. */
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, Init.defaultGenerator());
    }

    /** A cell with or without biases, initialised from {@code rng}. */
    public GRUCell(int inputSize, int hiddenSize, boolean bias, Rng rng) {
        super(inputSize, hiddenSize, bias, RecurrentMode.GRU, rng);
    }

    /** The new hidden state {@code [N, H]} from x {@code [N, I]} and h {@code [N, H]} (null for zeros). */
    public Tensor step(Tensor x, Tensor h) {
        return advance(x, h, null)[0];
    }
}
