package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Numbers;
import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A recurrent classifier described in a few values, as the command line and reports name it: each sample read as a
 * sequence of {@code steps} steps of {@code features} values (an image as its rows), a stack of one-layer recurrent
 * networks of the {@code hidden} sizes, and a Linear from the last one's final hidden state to the class scores.
 * {@link #build(Rng)} makes a {@link RecurrentClassifier}.
 *
 * @param kind         the recurrent layer: RNN, LSTM or GRU
 * @param steps        time steps per sample
 * @param features     values per step
 * @param hidden       the hidden size of each stacked layer, input side first (at least one)
 * @param classes      number of classes
 * @param nonlinearity the RNN's activation, tanh or ReLU (tanh for LSTM and GRU, whose gates fix theirs)
 * @param forgetBias   the LSTM's forget-gate bias at initialisation, or NaN for PyTorch's initialisation
 * @param dropout      the dropout probability between stacked layers, in [0, 1); 0 for none
 * @param inputMean    subtracted from every input value before the first layer (0 for none)
 * @param inputStd     what every centred input value is then divided by, positive (1 for none): with the mean, the
 *                     standardization of the training inputs, kept with the model ({@link #withInputScaling})
 */
public record RecurrentSpec(Kind kind, int steps, int features, List<Integer> hidden, int classes,
        Activation nonlinearity, double forgetBias, double dropout, double inputMean, double inputStd)
        implements ModelSpec {

    /** The recurrent layers a spec can stack. */
    public enum Kind {
        RNN(1), LSTM(4), GRU(3);

        private final int gates;

        Kind(int gates) {
            this.gates = gates;
        }

        /** How many blocks of H rows the layer's weights stack: 1, 4 (i, f, g, o) or 3 (r, z, n). */
        public int gates() {
            return gates;
        }

        /** The kind of {@code layer}. */
        public static Kind of(Recurrent layer) {
            return switch (layer) {
                case RNN r -> RNN;
                case LSTM l -> LSTM;
                case GRU g -> GRU;
            };
        }

        /** The name in lower case, as the command line writes it. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Validates the sizes and options, so a bad spec fails before anything is built. */
    public RecurrentSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(nonlinearity, "nonlinearity");
        hidden = List.copyOf(hidden);
        if (steps < 1 || features < 1 || classes < 1) {
            throw new IllegalArgumentException("a recurrent classifier needs positive steps, features and classes, "
                    + "got " + steps + " steps of " + features + " features and " + classes + " classes");
        }
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("a recurrent classifier needs at least one recurrent layer: give its "
                    + "hidden size, e.g. --hidden 128");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be positive, got " + hidden);
            }
        }
        if (kind != Kind.RNN && nonlinearity != Activation.TANH) {
            throw new IllegalArgumentException("the " + kind + " has its own gates and no choice of activation (got "
                    + nonlinearity + "): only an rnn takes tanh or relu");
        }
        if (kind == Kind.RNN && nonlinearity != Activation.TANH && nonlinearity != Activation.RELU) {
            throw new IllegalArgumentException("an rnn's activation is tanh or relu, got " + nonlinearity);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("a dropout probability is in [0, 1), got " + dropout);
        }
        if (!Double.isFinite(inputMean) || !(inputStd > 0) || !Double.isFinite(inputStd)) {
            throw new IllegalArgumentException("inputs are standardized by a finite mean and a positive, finite "
                    + "standard deviation, got mean " + inputMean + " and deviation " + inputStd);
        }
        if (kind != Kind.LSTM && !Double.isNaN(forgetBias)) {
            throw new IllegalArgumentException("only an lstm has a forget gate, so a forget-gate bias needs --model "
                    + "lstm (got " + kind + ")");
        }
    }

    /** A spec that feeds the inputs as they are. */
    public RecurrentSpec(Kind kind, int steps, int features, List<Integer> hidden, int classes,
                         Activation nonlinearity, double forgetBias, double dropout) {
        this(kind, steps, features, hidden, classes, nonlinearity, forgetBias, dropout, 0, 1);
    }

    /** A spec without dropout that feeds the inputs as they are. */
    public RecurrentSpec(Kind kind, int steps, int features, List<Integer> hidden, int classes,
                         Activation nonlinearity, double forgetBias) {
        this(kind, steps, features, hidden, classes, nonlinearity, forgetBias, 0);
    }

    /**
     * This spec with every input value standardized, {@code (x − mean) / std}, before the first layer: the sigmoid
     * gates and tanh of a recurrent layer see their inputs around 0 rather than all positive (pixels in [0, 1]
     * average 0.29 on Fashion-MNIST), and train faster. {@code nabla train} fits the two figures on the training
     * images, one pair for all pixels; the model applies them itself, so evaluating and predicting need nothing
     * more.
     */
    public RecurrentSpec withInputScaling(double mean, double std) {
        return new RecurrentSpec(kind, steps, features, hidden, classes, nonlinearity, forgetBias, dropout, mean, std);
    }

    /** Whether the inputs are standardized before the first layer. */
    public boolean scalesInputs() {
        return inputMean != 0 || inputStd != 1;
    }

    /**
     * A spec that reads square images of {@code features} pixels as their rows: √features steps of √features values
     * (Fashion-MNIST: 28 of 28; the digits: 8 of 8).
     *
     * @throws IllegalArgumentException when the samples are not square images
     */
    public static RecurrentSpec ofImages(Kind kind, int features, List<Integer> hidden, int classes,
                                         Activation nonlinearity, double forgetBias) {
        int side = (int) Math.round(Math.sqrt(features));
        if (side * side != features) {
            throw new IllegalArgumentException("a recurrent model reads each image as a sequence of its rows, but "
                    + features + " features per sample are no square image: use an MLP for this data");
        }
        return new RecurrentSpec(kind, side, side, hidden, classes, nonlinearity, forgetBias);
    }

    @Override
    public RecurrentClassifier build(Rng rng) {
        List<Recurrent> layers = new ArrayList<>();
        int in = features;
        for (int h : hidden) {
            RecurrentOptions options = RecurrentOptions.of(in, h).batchFirst(true);
            layers.add(switch (kind) {
                case RNN -> new RNN(options.nonlinearity(nonlinearity), rng);
                case LSTM -> new LSTM(Double.isNaN(forgetBias) ? options : options.forgetBias(forgetBias), rng);
                case GRU -> new GRU(options, rng);
            });
            in = h;
        }
        return new RecurrentClassifier(layers, steps, classes, dropout, (float) inputMean, (float) inputStd, rng);
    }

    /** Per layer G·H·(in + H) weights and 2·G·H biases, then the head's H·classes + classes. */
    @Override
    public long parameterCount() {
        long count = 0;
        int in = features;
        for (int h : hidden) {
            count += (long) kind.gates() * h * (in + h + 2);
            in = h;
        }
        return count + (long) in * classes + classes;
    }

    @Override
    public long largestWeight() {
        long largest = 0;
        int in = features;
        for (int h : hidden) {
            largest = Math.max(largest, (long) kind.gates() * h * Math.max(in, h));
            in = h;
        }
        return Math.max(largest, (long) in * classes);
    }

    /** The gates of every step of the widest layer, {@code steps × G·H}, are one tensor. */
    @Override
    public long widestPerSample() {
        return (long) steps * kind.gates() * hidden.stream().mapToInt(Integer::intValue).max().orElseThrow();
    }

    /**
     * Backpropagation through time keeps, per layer and step, the gates, the hidden (and cell) state and their
     * gradients: about (2G + 4)·H values, plus the input and its gradient.
     */
    @Override
    public long activationsPerSample() {
        long values = 2L * steps * features;
        for (int h : hidden) {
            values += (long) steps * (2L * kind.gates() + 4) * h;
        }
        return values;
    }

    /**
     * For example {@code 28×28-128-10 lstm}, {@code 28×28-128-64-10 lstm, forget-bias 1} or
     * {@code 28×28-128-10 gru, inputs standardized (mean 0.286, std 0.353)}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(steps).append('×').append(features);
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        sb.append('-').append(classes).append(' ').append(kind);
        if (kind == Kind.RNN && nonlinearity != Activation.TANH) {
            sb.append(' ').append(nonlinearity);
        }
        if (!Double.isNaN(forgetBias)) {
            sb.append(", forget-bias ").append(Numbers.plain(forgetBias));
        }
        if (dropout > 0) {
            sb.append("+dropout ").append(Module.pythonFloat(dropout));
        }
        if (scalesInputs()) {
            sb.append(String.format(Locale.ROOT, ", inputs standardized (mean %.3g, std %.3g)", inputMean, inputStd));
        }
        return sb.toString();
    }
}
