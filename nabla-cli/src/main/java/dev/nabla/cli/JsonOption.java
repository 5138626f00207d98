package dev.nabla.cli;

import picocli.CommandLine.Option;

/** {@code --json} (a picocli mixin): the result as one line of JSON at the end of standard output. */
final class JsonOption {
    @Option(names = "--json", description = "End standard output with one line of JSON holding the results; the "
            + "progress goes to standard error.")
    boolean json;
}
