package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.data.CsvData;
import dev.nabla.data.Dataset;
import dev.nabla.data.Datasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --data}, {@code --classes}, and for a CSV file {@code --task}, {@code --test-data}, {@code --test-fraction}
 * and {@code --label-column}: the dataset a command trains and tests on (a picocli mixin).
 */
final class DataOptions {
    /** What is learnt from the data: classes or numbers. */
    enum Task {
        /** Each sample's label is a class. */
        CLASSIFICATION,
        /** Each sample's target columns are numbers to predict. */
        REGRESSION;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The part of a CSV file held out for testing when no test file is given. */
    static final double DEFAULT_TEST_FRACTION = 0.2;

    @Option(names = "--data", paramLabel = "digits|fashion-mnist|DIR|FILE.csv",
            description = "Training data: 'digits' (8x8 handwritten digits, bundled), 'fashion-mnist' (from Debian's "
                    + "dataset-fashion-mnist package), a directory holding the four MNIST-style IDX files "
                    + "(train-images-idx3-ubyte[.gz], ...), or a CSV file with a header row, numeric feature "
                    + "columns and a label column. Default: ${DEFAULT-VALUE}.")
    String data = Datasets.DIGITS;

    @Option(names = "--classes", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "The number of classes of a directory's IDX files. Default: the largest label plus one, "
                    + "each class below it needing a training sample; give N when classes without samples are meant.")
    Integer classes;

    @Option(names = "--test-data", paramLabel = "FILE.csv",
            description = "The test part of a CSV --data: a CSV file with the same columns. Default: --test-fraction "
                    + "of --data, held out.")
    Path testData;

    @Option(names = "--test-fraction", paramLabel = "F", converter = Converters.Fraction.class,
            description = "The part of a CSV --data held out for testing when no --test-data is given, chosen at "
                    + "random with --seed. Default: " + DEFAULT_TEST_FRACTION + ".")
    Double testFraction;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "The label column of a CSV file; labels are class indices 0, 1, … or any strings. With "
                    + "--task regression the numeric target column, or several, comma-separated (NAME,NAME). "
                    + "Default: the last column.")
    String labelColumn;

    @Option(names = "--task", paramLabel = "classification|regression",
            description = "What to learn from a CSV file: its label column's classes, or (regression) the numbers in "
                    + "its target columns: a model with one output per target, features and targets standardized on "
                    + "the training part, scored by MAE, RMSE and R². Default: ${DEFAULT-VALUE}.")
    Task task = Task.CLASSIFICATION;

    /** True for {@code --task regression}. */
    boolean regression() {
        return task == Task.REGRESSION;
    }

    /**
     * True when --data names a CSV file: a name ending in .csv, or any other regular file (a directory holds IDX
     * files; a known name, digits or fashion-mnist, wins over a file of the same name, as over a directory).
     */
    boolean isCsv() {
        String name = data.strip();
        String lower = name.toLowerCase(Locale.ROOT);
        boolean known = lower.equals(Datasets.DIGITS) || lower.equals(Datasets.FASHION_MNIST);
        return lower.endsWith(".csv") || !known && java.nio.file.Files.isRegularFile(Path.of(name));
    }

    /**
     * The dataset's train and test parts; a CSV file without {@code --test-data} is split with {@code seed}.
     *
     * @throws IllegalArgumentException when the CSV options are given for data that is not a CSV file
     */
    Dataset.Split load(long seed) throws IOException {
        if (!isCsv()) {
            if (regression()) {
                throw new IllegalArgumentException("--task regression learns the numbers in a CSV file's target "
                        + "columns: give --data FILE.csv; '" + data + "' holds labelled images");
            }
            if (testData != null || testFraction != null || labelColumn != null) {
                throw new IllegalArgumentException("--test-data, --test-fraction and --label-column are for a CSV "
                        + "file given with --data; '" + data + "' has its own test part");
            }
            try {
                return Datasets.byName(data, classes == null ? 0 : classes);
            } catch (IllegalArgumentException e) {
                if (classes != null && e.getMessage().contains("outside the valid range")) {
                    throw new IllegalArgumentException("--classes " + classes + " is too few for the labels of "
                            + data + " (" + e.getMessage() + "): give at least its largest label plus one, or leave "
                            + "--classes out", e);
                }
                throw new IllegalArgumentException(e.getMessage().startsWith("unknown dataset")
                        ? e.getMessage() + ", or a CSV file (a header row, numeric feature columns, a label column)"
                        : e.getMessage(), e);
            }
        }
        if (classes != null) {
            throw new IllegalArgumentException("--classes is for a directory of IDX files; a CSV file's classes are "
                    + "its labels");
        }
        if (testData != null && testFraction != null) {
            throw new IllegalArgumentException("--test-data and --test-fraction both say what to test on: give one");
        }
        Path file = Path.of(data.strip());
        Dataset all = regression() ? CsvData.readRegression(file, targetColumns(), null)
                : CsvData.read(file, labelColumn);
        if (testData != null) {
            return new Dataset.Split(all, readLike(testData, all));
        }
        double fraction = testFraction == null ? DEFAULT_TEST_FRACTION : testFraction;
        Dataset.Split split = all.split(1 - fraction, seed);
        if (split.train().size() == 0 || split.test().size() == 0) {
            throw new IllegalArgumentException("--test-fraction " + fraction + " of the " + all.size() + " rows of "
                    + data + " leaves " + (split.train().size() == 0 ? "no row to train on" : "no row to test on")
                    + ": choose a fraction that leaves both parts a row, or give --test-data");
        }
        return split;
    }

    /**
     * Another part of a CSV --data ({@code --test-data}, {@code --val-data}): {@code file} read with {@code train}'s
     * feature columns and its classes or target columns.
     */
    Dataset readLike(Path file, Dataset train) throws IOException {
        return train.isRegression() ? CsvData.readRegression(file, train.targetNames(), train.featureNames())
                : CsvData.read(file, labelColumn, train.classNames(), train.featureNames());
    }

    /** The target columns --label-column names for regression: empty for the last column. */
    private List<String> targetColumns() {
        return labelColumn == null ? List.of() : columns(labelColumn);
    }

    /** The column names of a comma-separated --label-column, such as {@code u, v}. */
    static List<String> columns(String names) {
        return java.util.Arrays.stream(names.split(",")).map(String::strip).toList();
    }

    /** {@code [height, width]} of the images of image data (square images), or empty for a CSV file's rows. */
    List<Integer> image(Dataset train) {
        int side = (int) Math.round(Math.sqrt(train.features()));
        return isCsv() || side * side != train.features() ? List.of() : List.of(side, side);
    }
}
