package dev.nabla.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Finds a dataset by what a user types after {@code --data}: a known name or a directory.
 *
 * <p>Names: {@code digits} (bundled, {@link Digits}) and {@code fashion-mnist} ({@link FashionMnist}). Anything
 * else is a directory of MNIST-style IDX files ({@link #fromDirectory}). A name wins over a directory of the same
 * name: write {@code ./digits} for the directory.
 */
public final class Datasets {
    /** The name of the bundled {@link Digits} set. */
    public static final String DIGITS = "digits";
    /** The name of {@link FashionMnist}, read from {@link FashionMnist#DEBIAN_DIR}. */
    public static final String FASHION_MNIST = "fashion-mnist";

    private Datasets() {}

    /**
     * The train and test parts of the dataset called {@code nameOrDir}.
     *
     * @throws IllegalArgumentException when it is neither a known name nor an existing directory, listing both
     * @throws IOException              when the files cannot be read
     */
    public static Dataset.Split byName(String nameOrDir) throws IOException {
        return byName(nameOrDir, 0);
    }

    /**
     * The train and test parts of the dataset called {@code nameOrDir}, a directory's with {@code classes} classes
     * (0: the largest label plus one, see {@link #fromDirectory(Path, int)}).
     *
     * @throws IllegalArgumentException when it is neither a known name nor an existing directory, listing both, or
     *                                  when {@code classes} is given for a named dataset whose classes differ
     * @throws IOException              when the files cannot be read
     */
    public static Dataset.Split byName(String nameOrDir, int classes) throws IOException {
        String name = nameOrDir.strip();
        Dataset.Split split = switch (name.toLowerCase(Locale.ROOT)) {
            case DIGITS -> new Dataset.Split(Digits.train(), Digits.test());
            case FASHION_MNIST -> FashionMnist.load();
            default -> {
                Path dir = Path.of(name);
                if (!Files.isDirectory(dir)) {
                    throw new IllegalArgumentException("unknown dataset '" + nameOrDir + "': use " + DIGITS + ", "
                            + FASHION_MNIST + ", or a directory holding the four MNIST-style IDX files "
                            + String.join(", ", IdxDirectory.FILES) + " (gzip or raw)");
                }
                yield fromDirectory(dir, classes);
            }
        };
        if (classes > 0 && split.train().numClasses() != classes) {
            throw new IllegalArgumentException("'" + nameOrDir + "' has " + split.train().numClasses()
                    + " classes, not " + classes + ": a number of classes is given for a directory of IDX files only");
        }
        return split;
    }

    /**
     * Loads a directory holding the four MNIST-style IDX files ({@code train-images-idx3-ubyte},
     * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each raw
     * or {@code .gz}); for now the only directory format. Pixels are scaled to {@code [0, 1]}, samples are flat
     * ({@code [rows · cols]}), and the number of classes is the largest label plus one, provided each class below
     * it has a training sample (a label beyond a gap is refused as a likely corrupt byte). The datasets are named
     * after the directory.
     */
    public static Dataset.Split fromDirectory(Path dir) throws IOException {
        return fromDirectory(dir, 0);
    }

    /**
     * {@link #fromDirectory(Path)} with the number of classes given: every label must be below it, and classes
     * without samples are allowed. 0 infers it.
     */
    public static Dataset.Split fromDirectory(Path dir, int classes) throws IOException {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        String name = file == null ? dir.toString() : file.toString();
        return IdxDirectory.load(dir, name, classes, "Put the four files in " + dir + " (gzip or raw).");
    }
}
