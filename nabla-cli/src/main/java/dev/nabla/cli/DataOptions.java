package dev.nabla.cli;

import dev.nabla.data.Dataset;
import dev.nabla.data.Datasets;
import java.io.IOException;
import picocli.CommandLine.Option;

/** {@code --data} and {@code --classes}: the dataset a command trains and tests on (a picocli mixin). */
final class DataOptions {
    @Option(names = "--data", paramLabel = "digits|fashion-mnist|DIR",
            description = "Training data: 'digits' (8x8 handwritten digits, bundled), 'fashion-mnist' (from Debian's "
                    + "dataset-fashion-mnist package), or a directory holding the four MNIST-style IDX files "
                    + "(train-images-idx3-ubyte[.gz], ...). Default: ${DEFAULT-VALUE}.")
    String data = Datasets.DIGITS;

    @Option(names = "--classes", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "The number of classes of a directory's IDX files. Default: the largest label plus one, "
                    + "each class below it needing a training sample; give N when classes without samples are meant.")
    Integer classes;

    /** The dataset's train and test parts. */
    Dataset.Split load() throws IOException {
        return Datasets.byName(data, classes == null ? 0 : classes);
    }
}
