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
 * A recurrent layer over whole sequences, as PyTorch's {@code torch.nn.RNN}, {@code LSTM} and {@code GRU}: the
 * shapes, the parameters (names, layout, order and initialisation) and the results are PyTorch's, so weights load one
 * to one. Each layer runs as one op with its own backpropagation through time ({@link Functional#recurrent}).
 *
 * <p>Shapes (T steps, N samples, I = {@code inputSize}, H = {@code hiddenSize}, L layers, D = 2 when bidirectional,
 * else 1): input {@code [T, N, I]} ({@code [N, T, I]} batch first) or one unbatched sequence {@code [T, I]}; h_0 and
 * c_0 {@code [L·D, N, H]} ({@code [L·D, H]} unbatched), layer l's direction d at row l·D + d; output
 * {@code [T, N, D·H]} (in the input's layout), h_n and c_n as h_0.
 *
 * <p>Parameters, for each layer k and direction (suffix {@code _reverse} for the second): {@code weight_ih_l{k}}
 * {@code [G·H, I]} (layers after the first: {@code [G·H, D·H]}), {@code weight_hh_l{k}} {@code [G·H, H]},
 * {@code bias_ih_l{k}} and {@code bias_hh_l{k}} {@code [G·H]}, with G gates stacked in PyTorch's order (LSTM i, f,
 * g, o; GRU r, z, n). All are drawn from U(−1/√H, 1/√H), in that order.
 */
public abstract sealed class Recurrent extends Module permits RNN, LSTM, GRU {
    /**
     * The results of a run.
     *
     * @param output the last layer's hidden state at every step, {@code [T, N, D·H]} (input's layout)
     * @param hN     every layer's final hidden state, {@code [L·D, N, H]}
     * @param cN     every layer's final cell state, as hN (LSTM only; null otherwise)
     */
    public record Output(Tensor output, Tensor hN, Tensor cN) {
    }

    private final RecurrentOptions options;
    private final RecurrentMode mode;
    private final List<Tensor> weights = new ArrayList<>();
    private final Rng dropoutRng;

    Recurrent(RecurrentOptions options, RecurrentMode mode, Rng rng) {
        this.options = options;
        this.mode = mode;
        int gh = mode.gates() * options.hiddenSize();
        double bound = 1.0 / Math.sqrt(options.hiddenSize());
        for (int layer = 0; layer < options.numLayers(); layer++) {
            int in = layer == 0 ? options.inputSize() : options.directions() * options.hiddenSize();
            for (int d = 0; d < options.directions(); d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                weights.add(registerParameter("weight_ih" + suffix, Tensor.zeros(gh, in)));
                weights.add(registerParameter("weight_hh" + suffix, Tensor.zeros(gh, options.hiddenSize())));
                if (options.bias()) {
                    weights.add(registerParameter("bias_ih" + suffix, Tensor.zeros(gh)));
                    weights.add(registerParameter("bias_hh" + suffix, Tensor.zeros(gh)));
                }
            }
        }
        for (Tensor w : weights) {
            Init.uniform(w, -bound, bound, rng);
        }
        this.dropoutRng = registerGenerator("dropout_generator", rng.split());
    }

    /** The options this layer was built with. */
    public RecurrentOptions options() {
        return options;
    }

    /** The parameters in PyTorch's order: per layer and direction W_ih, W_hh (, b_ih, b_hh). */
    final List<Tensor> weights() {
        return weights;
    }

    /** The output for {@code x} from zero initial states: {@code run(x).output()}, so the layer fits a Sequential. */
    @Override
    public Tensor forward(Tensor x) {
        return run(x).output();
    }

    /** Runs the layers over {@code x} from zero initial states. */
    public Output run(Tensor x) {
        return run(x, null, null);
    }

    /** Runs the layers over {@code x} from the hidden state {@code h0} (null for zeros; the LSTM's c_0 is zero). */
    public Output run(Tensor x, Tensor h0) {
        return run(x, h0, null);
    }

    /** Runs the layers; h0 and c0 may be null (zeros). */
    Output run(Tensor x, Tensor h0, Tensor c0) {
        int inputSize = options.inputSize();
        String io = options.batchFirst() ? "[N, T, " + inputSize + "]" : "[T, N, " + inputSize + "]";
        if ((x.rank() != 2 && x.rank() != 3) || x.dim(-1) != inputSize) {
            throw new IllegalArgumentException(this + " expects input " + io + " or one unbatched sequence [T, "
                    + inputSize + "], got " + x.shape() + (x.rank() >= 2 && x.rank() <= 3
                    ? ": the last dimension must be the input size " + inputSize : ""));
        }
        boolean unbatched = x.rank() == 2;
        int steps = unbatched || !options.batchFirst() ? x.dim(0) : x.dim(1);
        int batch = unbatched ? 1 : options.batchFirst() ? x.dim(0) : x.dim(1);
        if (steps == 0 || batch == 0) {
            throw new IllegalArgumentException(this + " got input " + x.shape() + " with " + (steps == 0
                    ? "a sequence length of 0" : "a batch of 0") + ": give at least one step of at least one sample");
        }
        int rows = options.numLayers() * options.directions();
        Shape stateShape = unbatched ? Shape.of(rows, options.hiddenSize())
                : Shape.of(rows, batch, options.hiddenSize());
        checkState("h0", h0, stateShape);
        checkState("c0", c0, stateShape);
        Tensor xs = unbatched ? x.reshape(steps, 1, inputSize) : x;
        Tensor h = h0 == null || !unbatched ? h0 : h0.reshape(rows, 1, options.hiddenSize());
        Tensor c = c0 == null || !unbatched ? c0 : c0.reshape(rows, 1, options.hiddenSize());
        RecurrentResult r = Functional.recurrent(mode, xs, h, c, weights, options.bias(), options.numLayers(),
                options.bidirectional(), options.batchFirst() && !unbatched, (float) options.dropout(), isTraining(),
                dropoutRng);
        if (!unbatched) {
            return new Output(r.output(), r.hN(), r.cN());
        }
        return new Output(r.output().reshape(steps, -1), r.hN().reshape(stateShape.dims()),
                r.cN() == null ? null : r.cN().reshape(stateShape.dims()));
    }

    private void checkState(String name, Tensor s, Shape expected) {
        if (s != null && !s.shape().equals(expected)) {
            throw new IllegalArgumentException(this + " got " + name + " " + s.shape() + " but needs " + expected
                    + " (" + (expected.rank() == 2 ? "[layers·directions, H] for an unbatched input"
                    : "[layers·directions, N, H]") + "): one row per layer and direction, or null for zeros");
        }
    }

    /** PyTorch's: {@code 28, 128, num_layers=2, batch_first=True}, the options that differ from the defaults. */
    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder(options.inputSize() + ", " + options.hiddenSize());
        if (options.numLayers() != 1) {
            s.append(", num_layers=").append(options.numLayers());
        }
        if (!options.bias()) {
            s.append(", bias=False");
        }
        if (options.batchFirst()) {
            s.append(", batch_first=True");
        }
        if (options.dropout() != 0) {
            s.append(", dropout=").append(pythonFloat(options.dropout()));
        }
        if (options.bidirectional()) {
            s.append(", bidirectional=True");
        }
        if (options.nonlinearity() != dev.nabla.ops.Activation.TANH) {
            s.append(", nonlinearity=").append(options.nonlinearity());
        }
        return s.toString();
    }
}
