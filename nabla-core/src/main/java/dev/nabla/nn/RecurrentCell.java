package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.ops.RecurrentMode;
import dev.nabla.ops.RecurrentResult;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a recurrent layer, as PyTorch's {@code torch.nn.RNNCell}, {@code LSTMCell} and {@code GRUCell}: for
 * writing the loop over time yourself. The step is the layers' fused op run over a sequence of one step.
 *
 * <p>Shapes (N samples, I = input size, H = hidden size): x {@code [N, I]} (or one sample {@code [I]}), states
 * {@code [N, H]} ({@code [H]}). Parameters {@code weight_ih [G·H, I]}, {@code weight_hh [G·H, H]},
 * {@code bias_ih}, {@code bias_hh [G·H]}, all drawn from U(−1/√H, 1/√H) in that order, as in PyTorch.
 */
public abstract sealed class RecurrentCell extends Module permits RNNCell, LSTMCell, GRUCell {
    private final int inputSize;
    private final int hiddenSize;
    private final boolean bias;
    private final RecurrentMode mode;
    private final List<Tensor> weights = new ArrayList<>();

    RecurrentCell(int inputSize, int hiddenSize, boolean bias, RecurrentMode mode, Rng rng) {
        // the same checks, with the same messages, as the layers' options
        RecurrentOptions.of(inputSize, hiddenSize);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.mode = mode;
        int gh = mode.gates() * hiddenSize;
        weights.add(registerParameter("weight_ih", Tensor.zeros(gh, inputSize)));
        weights.add(registerParameter("weight_hh", Tensor.zeros(gh, hiddenSize)));
        if (bias) {
            weights.add(registerParameter("bias_ih", Tensor.zeros(gh)));
            weights.add(registerParameter("bias_hh", Tensor.zeros(gh)));
        }
        double bound = 1.0 / Math.sqrt(hiddenSize);
        for (Tensor w : weights) {
            Init.uniform(w, -bound, bound, rng);
        }
    }

    /** I, the features of x. */
    public int inputSize() {
        return inputSize;
    }

    /** H, the units of the state. */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** The new hidden state from zero states: {@code [N, H]}. */
    @Override
    public Tensor forward(Tensor x) {
        return advance(x, null, null)[0];
    }

    /** One step: the new hidden state and (LSTM) cell state, each of h's shape; h and c may be null (zeros). */
    final Tensor[] advance(Tensor x, Tensor h, Tensor c) {
        boolean single = x.rank() == 1;
        if ((x.rank() != 1 && x.rank() != 2) || x.dim(-1) != inputSize) {
            throw new IllegalArgumentException(this + " expects x [N, " + inputSize + "] or one sample [" + inputSize
                    + "], got " + x.shape());
        }
        int batch = single ? 1 : x.dim(0);
        Shape state = single ? Shape.of(hiddenSize) : Shape.of(batch, hiddenSize);
        for (Tensor s : new Tensor[] {h, c}) {
            if (s != null && !s.shape().equals(state)) {
                throw new IllegalArgumentException(this + " got a state " + s.shape() + " for x " + x.shape()
                        + ": the states must be " + state + ", one row of H = " + hiddenSize + " per sample");
            }
        }
        Tensor x3 = x.reshape(1, batch, inputSize);
        Tensor h3 = h == null ? null : h.reshape(1, batch, hiddenSize);
        Tensor c3 = c == null ? null : c.reshape(1, batch, hiddenSize);
        RecurrentResult r = Functional.recurrent(mode, x3, h3, c3, weights, bias, 1, false, false, 0f, false, null);
        return new Tensor[] {r.hN().reshape(state.dims()), r.cN() == null ? null : r.cN().reshape(state.dims())};
    }

    /** PyTorch's: {@code 28, 128} and {@code bias=False} when without. */
    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
