package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * A sequence classifier: recurrent layers read the input as a sequence of {@code steps} steps, and a {@link Linear}
 * maps the last layer's final hidden state (both directions side by side when bidirectional) to class logits. The
 * classic use reads an image row by row: a 28×28 digit is 28 steps of 28 pixels.
 *
 * <p>The inputs may be standardized first, {@code (x − inputMean) / inputStd} with two fixed numbers (not
 * parameters: the state dict stays PyTorch's), as a recurrent layer's gates train faster on inputs around 0.
 *
 * <p>Shapes (N samples, F features per step, H and D of the last layer): x {@code [N, steps·F]} (flattened, as the
 * data loaders give images) or {@code [N, steps, F]}; logits {@code [N, classes]}. Each layer's output is the next
 * one's input, so each layer's input size must be the previous one's D·H.
 *
 * <p>Names: with one layer its parameters are {@code rnn.weight_ih_l0, …} and the head's {@code fc.weight,
 * fc.bias}, the names of the PyTorch model
 * <pre>
 * self.rnn = nn.LSTM(28, 128, batch_first=True); self.fc = nn.Linear(128, 10)
 * def forward(self, x): _, (h_n, _) = self.rnn(x.view(-1, 28, 28)); return self.fc(h_n[-1])
 * </pre>
 * so that weights move between the two; with several layers, {@code rnn.0.…}, {@code rnn.1.…} (an
 * {@code nn.ModuleList} in PyTorch).
 */
public final class RecurrentClassifier extends Module {
    private final List<Recurrent> layers;
    private final int steps;
    private final Linear fc;
    private final float dropout;
    private final Rng dropoutRng;
    private final float inputMean;
    private final float inputStd;

    /**
     * @param layers  the recurrent layers, in order, each batch first and each taking the previous one's output
     * @param steps   how many steps x holds per sample
     * @param classes the number of logits
     * @param rng     draws the Linear head's initial weights
     * @throws IllegalArgumentException for no layers, a layer that is not batch first, sizes that do not chain, or
     *                                  steps or classes below 1
     */
    public RecurrentClassifier(List<? extends Recurrent> layers, int steps, int classes, Rng rng) {
        this(layers, steps, classes, 0, rng);
    }

    /**
     * As {@link #RecurrentClassifier(List, int, int, Rng)}, with dropout of probability {@code dropout} on the
     * output of each recurrent layer but the last, in training mode (PyTorch's {@code dropout} of a multi-layer
     * RNN), its masks drawn from a generator split off {@code rng}.
     */
    public RecurrentClassifier(List<? extends Recurrent> layers, int steps, int classes, double dropout, Rng rng) {
        this(layers, steps, classes, dropout, 0, 1, rng);
    }

    /**
     * As {@link #RecurrentClassifier(List, int, int, double, Rng)}, every input value first standardized,
     * {@code (x − inputMean) / inputStd}.
     *
     * @throws IllegalArgumentException also when the mean is not finite or the deviation not positive and finite
     */
    public RecurrentClassifier(List<? extends Recurrent> layers, int steps, int classes, double dropout,
                               float inputMean, float inputStd, Rng rng) {
        if (!Float.isFinite(inputMean) || !(inputStd > 0) || !Float.isFinite(inputStd)) {
            throw new IllegalArgumentException("inputs are standardized by a finite mean and a positive, finite "
                    + "standard deviation, got mean " + inputMean + " and deviation " + inputStd);
        }
        this.inputMean = inputMean;
        this.inputStd = inputStd;
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("RecurrentClassifier needs at least one recurrent layer");
        }
        if (steps < 1 || classes < 1) {
            throw new IllegalArgumentException("RecurrentClassifier needs steps ≥ 1 and classes ≥ 1, got steps="
                    + steps + ", classes=" + classes);
        }
        for (int i = 0; i < layers.size(); i++) {
            RecurrentOptions o = layers.get(i).options();
            if (!o.batchFirst()) {
                throw new IllegalArgumentException("RecurrentClassifier reads x as [N, steps, F], but layer " + i + " ("
                        + layers.get(i) + ") is not batch first: build it with batchFirst(true)");
            }
            if (i > 0) {
                RecurrentOptions before = layers.get(i - 1).options();
                int width = before.directions() * before.hiddenSize();
                if (o.inputSize() != width) {
                    throw new IllegalArgumentException("layer " + i + " (" + layers.get(i) + ") takes " + o.inputSize()
                            + " features per step, but layer " + (i - 1) + " outputs " + width
                            + " (directions·hidden size): make its input size " + width);
                }
            }
        }
        this.layers = List.copyOf(layers);
        this.steps = steps;
        registerModule("rnn", layers.size() == 1 ? layers.get(0) : new Sequential(layers));
        RecurrentOptions last = layers.get(layers.size() - 1).options();
        this.fc = registerModule("fc", new Linear(last.directions() * last.hiddenSize(), classes, rng));
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("a dropout probability is in [0, 1), got " + dropout);
        }
        this.dropout = (float) dropout;
        this.dropoutRng = dropout > 0 ? registerGenerator("dropout_generator", rng.split()) : null;
    }

    /**
     * @param x {@code [N, steps·F]} or {@code [N, steps, F]}, F the first layer's input size
     * @return logits {@code [N, classes]}
     */
    @Override
    public Tensor forward(Tensor x) {
        int features = layers.get(0).options().inputSize();
        boolean flat = x.rank() == 2 && x.dim(1) == steps * features;
        boolean sequence = x.rank() == 3 && x.dim(1) == steps && x.dim(2) == features;
        if (!flat && !sequence) {
            throw new IllegalArgumentException("RecurrentClassifier of " + steps + " steps of " + features
                    + " features expects x [N, " + steps * features + "] or [N, " + steps + ", " + features + "], got "
                    + x.shape() + ": check the steps and the first layer's input size against the data");
        }
        Tensor h = flat ? x.reshape(x.dim(0), steps, features) : x;
        if (inputMean != 0 || inputStd != 1) {
            h = Functional.div(Functional.sub(h, Tensor.full(inputMean, features)), Tensor.full(inputStd, features));
        }
        for (int i = 0; i < layers.size() - 1; i++) {
            h = layers.get(i).call(h);
            if (dropout > 0) {
                h = Functional.dropout(h, dropout, isTraining(), dropoutRng);
            }
        }
        Recurrent last = layers.get(layers.size() - 1);
        Recurrent.Output out = last.run(h);
        return fc.call(Functional.lastLayerState(out.hN(), last.options().directions()));
    }

    /** The recurrent layers, in order. */
    public List<Recurrent> layers() {
        return layers;
    }

    /** The number of steps each sample is read as. */
    public int steps() {
        return steps;
    }
}
