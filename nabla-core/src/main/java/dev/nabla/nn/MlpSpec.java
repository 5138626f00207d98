package dev.nabla.nn;

import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.List;

/**
 * A multi-layer perceptron described in a few values — input size, hidden sizes, classes, activation,
 * initialisation and batch normalisation — as the command line and reports name it. {@link #build(Rng)} makes the
 * network: {@code Linear → activation} per hidden layer ({@code Linear → BatchNorm1d → activation} with
 * {@code batchNorm}), then a final {@code Linear} to the class scores (logits).
 *
 * @param inputs     features per sample
 * @param hidden     sizes of the hidden layers, outermost first (may be empty: a linear classifier)
 * @param outputs    number of classes
 * @param activation {@code relu}, {@code sigmoid}, {@code tanh} or {@code leaky_relu}
 * @param init       {@code default} (PyTorch's: U(±1/√fan_in)), {@code xavier} (Glorot uniform, gain 1, zero
 *                   bias), {@code he} (Kaiming normal, fan_in, with the activation's gain, zero bias) or
 *                   {@code normal} (N(0, 1) weights, zero bias: far too large, the textbook case of exploding
 *                   gradients in a deep ReLU network)
 * @param batchNorm  put a {@link BatchNorm1d} (PyTorch's defaults) between each hidden Linear and its activation;
 *                   the Linear keeps its bias, as a PyTorch MLP usually does, though the normalisation cancels it
 *                   (its gradient is zero in training mode)
 */
public record MlpSpec(int inputs, List<Integer> hidden, int outputs, String activation, String init,
        boolean batchNorm) {
    /** The initialisation schemes {@link #init} accepts. */
    public static final List<String> INITS = List.of("default", "xavier", "he", "normal");

    /** Validates the sizes and names, so a bad spec fails before anything is built. */
    public MlpSpec {
        hidden = List.copyOf(hidden);
        if (inputs < 1 || outputs < 1) {
            throw new IllegalArgumentException("an MLP needs positive input and output sizes, got " + inputs + " → " + outputs);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be positive, got " + hidden);
            }
        }
        Activation.byName(activation);
        if (!INITS.contains(init)) {
            throw new IllegalArgumentException("unknown init '" + init + "': use one of " + String.join(", ", INITS));
        }
    }

    /** A spec without batch normalisation. */
    public MlpSpec(int inputs, List<Integer> hidden, int outputs, String activation, String init) {
        this(inputs, hidden, outputs, activation, init, false);
    }

    /** The network, its weights drawn from {@code rng}. */
    public Sequential build(Rng rng) {
        List<Module> layers = new ArrayList<>();
        int in = inputs;
        for (int h : hidden) {
            layers.add(initialised(new Linear(in, h, rng), rng));
            if (batchNorm) {
                layers.add(new BatchNorm1d(h));
            }
            layers.add(Activation.byName(activation));
            in = h;
        }
        layers.add(initialised(new Linear(in, outputs, rng), rng));
        return new Sequential(layers);
    }

    private Linear initialised(Linear layer, Rng rng) {
        String nonlinearity = activation.equals("leaky_relu") ? "leaky_relu" : activation;
        switch (init) {
            case "xavier" -> Init.xavierUniform(layer.weight(), 1.0, rng);
            case "he" -> Init.kaimingNormal(layer.weight(), LeakyReLU.DEFAULT_SLOPE, Init.Mode.FAN_IN, nonlinearity, rng);
            case "normal" -> Init.normal(layer.weight(), 0, 1, rng);
            default -> {
                return layer;   // Linear's constructor already applied PyTorch's default
            }
        }
        if (layer.bias() != null) {
            Init.constant(layer.bias(), 0f);
        }
        return layer;
    }

    /** For example {@code 784-256-128-10 relu+bn, init default} ({@code +bn} with batch normalisation). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (int h : hidden) {
            sb.append('-').append(h);
        }
        return sb.append('-').append(outputs).append(' ').append(activation).append(batchNorm ? "+bn" : "")
                .append(", init ").append(init).toString();
    }
}
