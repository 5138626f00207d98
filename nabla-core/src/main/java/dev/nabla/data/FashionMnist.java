package dev.nabla.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Zalando's Fashion-MNIST (MIT licence): 60 000 training and 10 000 test greyscale images of 28×28 clothing
 * items in 10 classes (T-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot).
 * A drop-in for MNIST that is hard enough to tell models apart.
 *
 * <p>Too large to bundle (30 MB), it is read from the four IDX files, by default where Debian's package
 * {@code dataset-fashion-mnist} installs them. Pixels are divided by 255 into {@code [0, 1]}; samples are flat,
 * shape {@code [784]}. Each call reads the files again: keep the result.
 */
public final class FashionMnist {
    /** Where {@code sudo apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** Image side in pixels. */
    public static final int SIDE = 28;
    /** The number of classes. */
    public static final int NUM_CLASSES = 10;

    private static final String HOW_TO_INSTALL = "Install Fashion-MNIST with `sudo apt-get install "
            + "dataset-fashion-mnist` (Debian/Ubuntu), or pass a directory holding the four IDX files "
            + String.join(", ", IdxDirectory.FILES) + " (gzip or raw).";

    /** The classes' names, label by label, as the dataset's authors give them. */
    public static final java.util.List<String> CLASS_NAMES = java.util.List.of("T-shirt/top", "Trouser", "Pullover",
            "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Loads the train and test sets from {@link #DEBIAN_DIR}. */
    public static Dataset.Split load() throws IOException {
        return load(DEBIAN_DIR);
    }

    /**
     * Loads the train and test sets from {@code dir}, which holds the four IDX files, each gzip or raw.
     *
     * @throws NoSuchFileException naming the missing file and directory, and how to install it
     * @throws MalformedDataException            when a file is damaged or its images are not 28×28
     */
    public static Dataset.Split load(Path dir) throws IOException {
        Dataset.Split split = IdxDirectory.load(dir, "fashion-mnist", NUM_CLASSES, HOW_TO_INSTALL);
        if (split.train().features() != SIDE * SIDE) {
            throw new MalformedDataException(dir + ": images hold " + split.train().features()
                    + " pixels, Fashion-MNIST's hold " + SIDE + "×" + SIDE + " = " + SIDE * SIDE
                    + ": for another MNIST-style set use Datasets.fromDirectory");
        }
        return new Dataset.Split(split.train().withClassNames(CLASS_NAMES), split.test().withClassNames(CLASS_NAMES));
    }

    /** True when all four files are in {@link #DEBIAN_DIR}. */
    public static boolean isInstalled() {
        return IdxDirectory.complete(DEBIAN_DIR);
    }
}
