package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A multi-layer perceptron described in a few values — input size, hidden sizes, classes, activation,
 * initialisation and batch normalisation — as the command line and reports name it. {@link #build(Rng)} makes the
 * network: {@code Linear → activation} per hidden layer ({@code Linear → BatchNorm1d → activation} with
 * {@code batchNorm}), then a final {@code Linear} to the class scores (logits).
 *
 * @param inputs     features per sample
 * @param hidden     sizes of the hidden layers, outermost first (may be empty: a linear classifier)
 * @param outputs    number of classes
 * @param activation the activation after each hidden layer
 * @param init       how the Linear layers are initialised (see {@link Init.Scheme})
 * @param batchNorm  put a {@link BatchNorm1d} (PyTorch's defaults) between each hidden Linear and its activation;
 *                   the Linear keeps its bias, as a PyTorch MLP usually does, though the normalisation cancels it
 *                   (its gradient is zero in training mode)
 * @param dropout    the probability of a {@link Dropout} after each hidden activation, in [0, 1); 0 for none
 */
public record MlpSpec(int inputs, List<Integer> hidden, int outputs, Activation activation, Init.Scheme init,
        boolean batchNorm, double dropout) implements ModelSpec {
    /** The activation a spec gets when told nothing: ReLU, the usual choice for hidden layers. */
    public static final Activation DEFAULT_ACTIVATION = Activation.RELU;
    /** The initialisation a spec gets when told nothing: PyTorch's. */
    public static final Init.Scheme DEFAULT_INIT = Init.Scheme.DEFAULT;

    /** Validates the sizes, so a bad spec fails before anything is built. */
    public MlpSpec {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(init, "init");
        hidden = List.copyOf(hidden);
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("an MLP needs positive input and output sizes, got " + inputs + " → " + outputs);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be positive, got " + hidden);
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("a dropout probability is in [0, 1), got " + dropout);
        }
    }

    /** A spec without dropout. */
    public MlpSpec(int inputs, List<Integer> hidden, int outputs, Activation activation, Init.Scheme init,
                   boolean batchNorm) {
        this(inputs, hidden, outputs, activation, init, batchNorm, 0);
    }

    /** A spec without batch normalisation. */
    public MlpSpec(int inputs, List<Integer> hidden, int outputs, Activation activation, Init.Scheme init) {
        this(inputs, hidden, outputs, activation, init, false);
    }

    /** The network, its weights drawn from {@code rng}. */
    @Override
    public Sequential build(Rng rng) {
        List<Module> layers = new ArrayList<>();
        int in = inputs;
        for (int h : hidden) {
            layers.add(initialised(new Linear(in, h, rng), rng));
            if (batchNorm) {
                layers.add(new BatchNorm1d(h));
            }
            layers.add(ActivationLayer.of(activation));
            if (dropout > 0) {
                layers.add(new Dropout((float) dropout, rng));
            }
            in = h;
        }
        layers.add(initialised(new Linear(in, outputs, rng), rng));
        return new Sequential(layers);
    }

    private Linear initialised(Linear layer, Rng rng) {
        init.apply(layer, activation, rng);
        return layer;
    }

    /** The number of trainable values the network will have, counted before building it (a long: it may be huge). */
    @Override
    public long parameterCount() {
        long count = 0;
        int in = inputs;
        for (int h : hidden) {
            count += (long) in * h + h + (batchNorm ? 2L * h : 0);
            in = h;
        }
        return count + (long) in * outputs + outputs;
    }

    /** The number of values of the largest weight matrix, {@code in × out} (a long: it may exceed an array's). */
    @Override
    public long largestWeight() {
        long largest = 0;
        int in = inputs;
        for (int h : hidden) {
            largest = Math.max(largest, (long) in * h);
            in = h;
        }
        return Math.max(largest, (long) in * outputs);
    }

    /** The widest layer's units: its output for a batch is one tensor. */
    @Override
    public long widestPerSample() {
        return Math.max(outputs, hidden.stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    /** Six values per unit: the layers' outputs kept for backward, and their gradients. */
    @Override
    public long activationsPerSample() {
        long units = inputs + outputs;
        for (int h : hidden) {
            units += h;
        }
        return 6 * units;
    }

    /** For example {@code 784-256-128-10 relu+bn, init default} ({@code +bn} with batch normalisation). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        return sb.append('-').append(outputs).append(' ').append(activation).append(batchNorm ? "+bn" : "")
                .append(dropout > 0 ? "+dropout " + Module.pythonFloat(dropout) : "")
                .append(", init ").append(init).toString();
    }
}
