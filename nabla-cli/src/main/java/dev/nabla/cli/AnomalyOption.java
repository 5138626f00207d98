package dev.nabla.cli;

import dev.nabla.autograd.Anomaly;
import picocli.CommandLine.Option;

/** {@code --detect-anomaly} (a picocli mixin): anomaly mode for one run, to find the op where a NaN began. */
final class AnomalyOption {
    @Option(names = "--detect-anomaly",
            description = "Check every op's output and gradient for NaN and ∞, and stop at the first with the op, "
                    + "the layer it ran in, the cause and its inputs' statistics. Several times slower: for finding "
                    + "where a NaN began, not for training.")
    boolean detect;

    /** Anomaly mode until the scope closes when asked for, else null (nothing to close). */
    Anomaly scope() {
        return detect ? Anomaly.detect() : null;
    }
}
