package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.train.Trainer;
import picocli.CommandLine.Option;

/** {@code --seed} (a picocli mixin). */
final class SeedOption {
    @Option(names = "--seed", paramLabel = "N", converter = Converters.Seed.class,
            description = "Seed for initialisation and shuffling: the same seed gives the same run, bit for bit, on "
                    + "any number of threads, with kernels of the same vector width (nabla --version names it). "
                    + "Default: ${DEFAULT-VALUE}.")
    long seed = Trainer.DEFAULT_SEED;
}
