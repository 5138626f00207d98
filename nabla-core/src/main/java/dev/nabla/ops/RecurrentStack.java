package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * {@link Functional#recurrent}: checks the arguments, then runs the layers in turn, each one {@link RecurrentLayer}
 * op (dropout between them when training), and cuts the output, h_n and c_n out of the layers' packed outputs with
 * {@link FlatSlices}. Not an op itself: it records only the ops it applies.
 */
final class RecurrentStack {
    private RecurrentStack() {
    }

    static RecurrentResult run(RecurrentMode mode, Tensor x, Tensor h0, Tensor c0, List<Tensor> weights,
                               boolean hasBias, int numLayers, boolean bidirectional, boolean batchFirst,
                               float dropout, boolean training, Rng rng) {
        String name = mode.name().toLowerCase(java.util.Locale.ROOT);
        if (numLayers < 1) {
            throw new IllegalArgumentException(name + ": numLayers must be at least 1, got " + numLayers);
        }
        Checks.unitOpen(name + " dropout", dropout);
        int dirs = bidirectional ? 2 : 1;
        int perDirection = hasBias ? 4 : 2;
        if (weights.size() != numLayers * dirs * perDirection) {
            throw new IllegalArgumentException(name + " with " + numLayers + " layer(s), " + dirs + " direction(s) and "
                    + (hasBias ? "" : "no ") + "biases takes " + numLayers * dirs * perDirection + " weights "
                    + "(W_ih, W_hh" + (hasBias ? ", b_ih, b_hh" : "") + " per layer and direction), got " + weights.size());
        }
        if (x.rank() != 3) {
            throw new IllegalArgumentException(name + " expects x " + (batchFirst ? "[N, T, I]" : "[T, N, I]")
                    + ", got " + x.shape() + ": a single sequence [T, I] needs a batch dimension (x.reshape(T, 1, I))");
        }
        int steps = batchFirst ? x.dim(1) : x.dim(0);
        int batch = batchFirst ? x.dim(0) : x.dim(1);
        if (steps == 0 || batch == 0) {
            throw new IllegalArgumentException(name + " got x " + x.shape() + " with " + (steps == 0
                    ? "a sequence length of 0" : "a batch of 0") + " (" + (batchFirst ? "[N, T, I]" : "[T, N, I]")
                    + "): give at least one step of at least one sample");
        }
        Tensor firstHh = weights.get(1);
        if (firstHh.rank() != 2 || firstHh.dim(0) % mode.gates() != 0 || firstHh.dim(0) == 0) {
            throw new IllegalArgumentException(name + ": weight_hh_l0 must be [" + mode.gates() + "·H, H] with H ≥ 1, got "
                    + firstHh.shape());
        }
        int hidden = firstHh.dim(0) / mode.gates();
        Shape stateShape = Shape.of(numLayers * dirs, batch, hidden);
        checkState(name, "h0", h0, stateShape);
        if (mode.hasCell()) {
            checkState(name, "c0", c0, stateShape);
        } else if (c0 != null) {
            throw new IllegalArgumentException(name + " has no cell state: pass c0 = null (only the LSTM takes one)");
        }

        int state = dirs * batch * hidden;
        Shape layerState = Shape.of(dirs, batch, hidden);
        Shape outShape = batchFirst ? Shape.of(batch, steps, dirs * hidden) : Shape.of(steps, batch, dirs * hidden);
        int outputSize = outShape.size();
        Tensor input = x;
        Tensor output = null;
        Tensor[] packed = new Tensor[numLayers];
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? weights.get(0).dim(-1) : dirs * hidden;
            Tensor[] w = new Tensor[4 * dirs];
            for (int d = 0; d < dirs; d++) {
                int at = (layer * dirs + d) * perDirection;
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                w[4 * d] = checkWeight(name, "weight_ih" + suffix, weights.get(at), mode.gates() * hidden, in);
                w[4 * d + 1] = checkWeight(name, "weight_hh" + suffix, weights.get(at + 1), mode.gates() * hidden, hidden);
                if (hasBias) {
                    w[4 * d + 2] = checkWeight(name, "bias_ih" + suffix, weights.get(at + 2), mode.gates() * hidden, -1);
                    w[4 * d + 3] = checkWeight(name, "bias_hh" + suffix, weights.get(at + 3), mode.gates() * hidden, -1);
                }
            }
            if (input.dim(2) != in) {
                throw new IllegalArgumentException(name + " layer " + layer + " takes " + in + " features per step, "
                        + "got x " + input.shape() + ": the last dimension of x must be the input size " + in);
            }
            Tensor h0Layer = h0 == null ? null : FlatSlices.range(h0, layer * state, layerState);
            Tensor c0Layer = c0 == null ? null : FlatSlices.range(c0, layer * state, layerState);
            packed[layer] = Function.apply(layerOp(mode, hidden, bidirectional, batchFirst),
                    RecurrentLayer.inputs(input, h0Layer, c0Layer, w));
            output = FlatSlices.range(packed[layer], 0, outShape);
            input = layer + 1 < numLayers ? Functional.dropout(output, dropout, training, rng) : output;
        }
        Tensor hN = gather(packed, outputSize, state, stateShape);
        Tensor cN = mode.hasCell() ? gather(packed, outputSize + state, state, stateShape) : null;
        return new RecurrentResult(output, hN, cN);
    }

    private static RecurrentLayer layerOp(RecurrentMode mode, int hidden, boolean bidirectional, boolean batchFirst) {
        return switch (mode) {
            case RNN_TANH -> new RnnLayer(false, hidden, bidirectional, batchFirst);
            case RNN_RELU -> new RnnLayer(true, hidden, bidirectional, batchFirst);
            case LSTM -> new LstmLayer(hidden, bidirectional, batchFirst);
            case GRU -> new GruLayer(hidden, bidirectional, batchFirst);
        };
    }

    /** The values {@code [start, start + length)} of each layer's packed output, one after another. */
    private static Tensor gather(Tensor[] packed, int start, int length, Shape shape) {
        int[] sources = new int[packed.length];
        int[] starts = new int[packed.length];
        int[] lengths = new int[packed.length];
        for (int i = 0; i < packed.length; i++) {
            sources[i] = i;
            starts[i] = start;
            lengths[i] = length;
        }
        return Function.apply(new FlatSlices(sources, starts, lengths, shape), packed);
    }

    /** {@link Functional#lastLayerState}. */
    static Tensor lastLayerState(Tensor hN, int directions) {
        if (directions < 1 || hN.rank() != 3 || hN.dim(0) % directions != 0) {
            throw new IllegalArgumentException("the last layer's state needs h_n [L·D, N, H] with D = " + directions
                    + " direction(s) per layer, got " + hN.shape());
        }
        int batch = hN.dim(1);
        int hidden = hN.dim(2);
        int firstRow = hN.dim(0) - directions;
        int[] sources = new int[batch * directions];
        int[] starts = new int[sources.length];
        int[] lengths = new int[sources.length];
        for (int i = 0; i < batch; i++) {
            for (int d = 0; d < directions; d++) {
                starts[i * directions + d] = ((firstRow + d) * batch + i) * hidden;
                lengths[i * directions + d] = hidden;
            }
        }
        return Function.apply(new FlatSlices(sources, starts, lengths, Shape.of(batch, directions * hidden)), hN);
    }

    private static void checkState(String name, String what, Tensor s, Shape expected) {
        if (s != null && !s.shape().equals(expected)) {
            throw new IllegalArgumentException(name + ": " + what + " " + s.shape() + " must be [layers·directions, N, H] "
                    + "= " + expected + " for this input and these weights: give one row of " + what
                    + " per layer and direction, or null for zeros");
        }
    }

    /** The tensor if it is {@code [rows, cols]} (cols −1: {@code [rows]}), else an error naming the parameter. */
    private static Tensor checkWeight(String name, String param, Tensor w, int rows, int cols) {
        Shape expected = cols < 0 ? Shape.of(rows) : Shape.of(rows, cols);
        if (w == null || !w.shape().equals(expected)) {
            throw new IllegalArgumentException(name + ": " + param + " must be " + expected + " (gates·H"
                    + (cols < 0 ? "" : ", " + (param.startsWith("weight_hh") ? "H" : "input size")) + "), got "
                    + (w == null ? "null" : w.shape()));
        }
        return w;
    }
}
