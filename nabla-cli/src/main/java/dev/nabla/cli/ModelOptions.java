package dev.nabla.cli;

import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.ops.Activation;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --activation}, {@code --init} and {@code --batchnorm}: the kind of network a command builds (a picocli mixin);
 * the commands add its sizes ({@code --hidden}, or {@code --depth} and {@code --width}).
 */
final class ModelOptions {
    @Option(names = "--activation", paramLabel = "NAME",
            description = "Activation after each hidden layer: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Activation activation = MlpSpec.DEFAULT_ACTIVATION;

    @Option(names = "--init", paramLabel = "SCHEME",
            description = "Weight initialisation: ${COMPLETION-CANDIDATES}. default is PyTorch's, U(±1/√fan_in); "
                    + "xavier is Glorot uniform; he is Kaiming normal, for ReLU; normal is N(0, 1): too large, "
                    + "gradients explode. Default: ${DEFAULT-VALUE}.")
    Init.Scheme init = MlpSpec.DEFAULT_INIT;

    @Option(names = "--batchnorm",
            description = "Put batch normalisation (BatchNorm1d) between each hidden layer and its activation: each "
                    + "feature is normalised with the batch mean and variance while training, and with running "
                    + "averages of them at test time.")
    boolean batchNorm;

    /** The options with another default activation, for a command whose subject is another one. */
    static ModelOptions withDefaultActivation(Activation activation) {
        ModelOptions options = new ModelOptions();
        options.activation = activation;
        return options;
    }

    /** The network with these options, {@code inputs} features, {@code hidden} layer sizes and {@code classes}. */
    MlpSpec spec(int inputs, List<Integer> hidden, int classes) {
        return new MlpSpec(inputs, hidden, classes, activation, init, batchNorm);
    }
}
