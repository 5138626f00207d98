package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --model}, {@code --activation}, {@code --init}, {@code --batchnorm} and {@code --forget-bias}: the kind of
 * network a command builds (a picocli mixin); the commands add its sizes ({@code --hidden}, or {@code --depth} and
 * {@code --width}).
 */
final class ModelOptions {
    /** The networks the command line builds. */
    enum Kind {
        MLP(null), RNN(RecurrentSpec.Kind.RNN), LSTM(RecurrentSpec.Kind.LSTM), GRU(RecurrentSpec.Kind.GRU), CNN(null);

        /** The recurrent layer, or null for the MLP and the CNN. */
        final RecurrentSpec.Kind recurrent;

        Kind(RecurrentSpec.Kind recurrent) {
            this.recurrent = recurrent;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Option(names = "--model", paramLabel = "KIND",
            description = "The network: ${COMPLETION-CANDIDATES}. mlp is Linear layers with an activation between; "
                    + "rnn, lstm and gru read each image as a sequence of its rows (Fashion-MNIST: 28 steps of 28 "
                    + "pixels) through stacked recurrent layers of the --hidden sizes, then a Linear on the last "
                    + "hidden state; cnn is convolution blocks (Conv2d 3x3, BatchNorm2d, ReLU, MaxPool2d 2) of the "
                    + "--channels sizes, then Linear layers of the --hidden sizes (default 128). Default: "
                    + "${DEFAULT-VALUE}.")
    Kind kind = Kind.MLP;

    @Option(names = "--channels", paramLabel = "SIZES", converter = HiddenSizes.class,
            description = "The output channels of a cnn's convolution blocks, comma-separated; each block halves the "
                    + "image. Default: 32,64 (16,32 for images smaller than 16×16).")
    List<Integer> channels;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation after each hidden layer: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}; "
                    + "an rnn takes tanh (its default) or relu.")
    Activation activation = MlpSpec.DEFAULT_ACTIVATION;

    @Option(names = "--init", paramLabel = "SCHEME",
            description = "Weight initialisation of an mlp: ${COMPLETION-CANDIDATES}. default is PyTorch's, "
                    + "U(±1/√fan_in); xavier is Glorot uniform; he is Kaiming normal, for ReLU; normal is N(0, 1): too "
                    + "large, gradients explode. Default: ${DEFAULT-VALUE}.")
    Init.Scheme init = MlpSpec.DEFAULT_INIT;

    @Option(names = "--batchnorm", negatable = true,
            description = "Put batch normalisation between each hidden layer of an mlp and its activation "
                    + "(BatchNorm1d), or each convolution of a cnn and its ReLU (BatchNorm2d): each feature or channel "
                    + "is normalised with the batch mean and variance while training, and with running averages of "
                    + "them at test time. Default: off for an mlp, on for a cnn (--no-batchnorm turns it off).")
    Boolean batchNormGiven;

    @Option(names = "--forget-bias", paramLabel = "X", converter = Converters.FiniteNumber.class,
            description = "An lstm's forget-gate bias at initialisation, e.g. 1: the cell then keeps its state, and "
                    + "the gradient through it, from the start (Gers et al. 2000; Jozefowicz et al. 2015). Default: "
                    + "PyTorch's initialisation, U(±1/√hidden) like every other bias.")
    Double forgetBias;

    @Option(names = "--dropout", paramLabel = "P", converter = Converters.DropoutProbability.class,
            description = "Dropout with probability P after each hidden activation of an mlp, or between the stacked "
                    + "layers of a recurrent network (training only; evaluation uses every unit). Default: none.")
    double dropout;

    /** The options with another default activation, for a command whose subject is another one. */
    static ModelOptions withDefaultActivation(Activation activation) {
        ModelOptions options = new ModelOptions();
        options.activation = activation;
        return options;
    }

    /** Whether the network gets batch normalisation: as given, else on for a cnn only. */
    boolean batchNorm() {
        return batchNormGiven != null ? batchNormGiven : kind == Kind.CNN;
    }

    /** Whether --hidden was on the command line (a cnn's default differs from an mlp's). */
    private boolean hiddenGiven() {
        return command != null && command.commandLine().getParseResult().hasMatchedOption("--hidden");
    }

    /** Whether --activation was on the command line (its default suits an mlp, not a recurrent network). */
    private boolean activationGiven() {
        return command != null && command.commandLine().getParseResult().hasMatchedOption("--activation");
    }

    /** An rnn's activation: the one given, else tanh as in PyTorch. */
    Activation recurrentActivation() {
        return activationGiven() ? activation : Activation.TANH;
    }

    /**
     * The network with these options, {@code inputs} features, {@code hidden} layer sizes and {@code classes}.
     *
     * @throws IllegalArgumentException when the options do not fit the kind of network, saying which to drop
     */
    ModelSpec spec(int inputs, List<Integer> hidden, int classes) {
        checkCombination();
        if (kind == Kind.MLP) {
            return new MlpSpec(inputs, hidden, classes, activation, init, batchNorm(), dropout);
        }
        if (kind == Kind.CNN) {
            int side = (int) Math.round(Math.sqrt(inputs));
            if (side * side != inputs) {
                throw new IllegalArgumentException("--model cnn convolves square greyscale images, and the data has "
                        + inputs + " features per sample: use --model mlp for rows of a CSV file");
            }
            List<Integer> blocks = channels != null ? channels : side < 16 ? List.of(16, 32) : CnnSpec.DEFAULT_CHANNELS;
            return new CnnSpec(side, side, blocks, hiddenGiven() ? hidden : CnnSpec.DEFAULT_HIDDEN, classes,
                    batchNorm(), dropout);
        }
        if (hidden.isEmpty()) {
            throw new IllegalArgumentException("--model " + kind + " needs at least one recurrent layer: give its "
                    + "hidden size, e.g. --hidden 128");
        }
        if (dropout > 0 && hidden.size() < 2) {
            throw new IllegalArgumentException("--dropout acts between stacked recurrent layers, and --hidden " + hidden
                    + " gives one: stack two or more (e.g. --hidden 128,128), or drop --dropout");
        }
        RecurrentSpec spec = RecurrentSpec.ofImages(kind.recurrent, inputs, hidden, classes,
                recurrentActivation(), forgetBias == null ? Double.NaN : forgetBias);
        return new RecurrentSpec(spec.kind(), spec.steps(), spec.features(), spec.hidden(), spec.classes(),
                spec.nonlinearity(), spec.forgetBias(), dropout);
    }

    /**
     * Checks that the options fit the kind of network.
     *
     * @throws IllegalArgumentException naming the option that does not fit, and what to do
     */
    void checkCombination() {
        if (forgetBias != null && kind != Kind.LSTM) {
            throw new IllegalArgumentException("--forget-bias is an lstm's option: add --model lstm, or drop it");
        }
        if (channels != null && kind != Kind.CNN) {
            throw new IllegalArgumentException("--channels sizes a cnn's convolution blocks: add --model cnn, or drop "
                    + "--channels");
        }
        if (kind == Kind.MLP) {
            return;
        }
        if (kind == Kind.CNN) {
            if (init != MlpSpec.DEFAULT_INIT || activationGiven()) {
                throw new IllegalArgumentException("a cnn initialises as PyTorch does and uses ReLU: drop "
                        + (activationGiven() ? "--activation" : "--init"));
            }
            return;
        }
        if (batchNorm()) {
            throw new IllegalArgumentException("--model " + kind + " with --batchnorm: batch normalisation goes "
                    + "between an mlp's hidden layers, and a recurrent network has none; drop --batchnorm, or use "
                    + "--model mlp");
        }
        if (init != MlpSpec.DEFAULT_INIT) {
            throw new IllegalArgumentException("--init " + init + " is for an mlp's Linear layers; the " + kind
                    + " initialises as PyTorch does, U(±1/√hidden): drop --init, or use --model mlp");
        }
        if (kind != Kind.RNN && activationGiven()) {
            throw new IllegalArgumentException("--activation is for an mlp or an rnn; the " + kind + "'s gates fix "
                    + "its activations: drop --activation");
        }
        if (kind == Kind.RNN && activationGiven() && activation != Activation.TANH && activation != Activation.RELU) {
            throw new IllegalArgumentException("an rnn's activation is tanh or relu, got --activation " + activation);
        }
    }
}
