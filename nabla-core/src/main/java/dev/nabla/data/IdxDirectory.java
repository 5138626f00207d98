package dev.nabla.data;

import dev.nabla.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A directory holding the four MNIST-style IDX files, each raw or gzip ({@code name} or {@code name.gz}):
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}. Shared by {@link FashionMnist} and {@link Datasets#fromDirectory}.
 */
final class IdxDirectory {
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private IdxDirectory() {}

    /** The file {@code name} in {@code dir}, raw if present, else gzip; {@code null} when neither exists. */
    static Path find(Path dir, String name) {
        for (Path p : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /** True when all four files are in {@code dir}. */
    static boolean complete(Path dir) {
        return FILES.stream().allMatch(f -> find(dir, f) != null);
    }

    /**
     * Loads the train and test parts, pixels scaled to {@code [0, 1]}, sample shape {@code [rows · cols]}.
     *
     * @param name       the datasets are called {@code name/train} and {@code name/test}
     * @param numClasses the number of classes, or 0 to take the largest label plus one (see {@link #inferClasses})
     * @param missingFix appended to the message when a file is missing: how to get the files
     */
    static Dataset.Split load(Path dir, String name, int numClasses, String missingFix) throws IOException {
        for (String f : FILES) {
            if (find(dir, f) == null) {
                throw new NoSuchFileException(dir.resolve(f).toString(), null, "missing: no " + f + " or " + f
                        + ".gz in " + dir + (Files.isDirectory(dir) ? "" : " (no such directory)") + ". " + missingFix);
            }
        }
        IdxImages trainImages = Idx.readImages(find(dir, TRAIN_IMAGES));
        int[] trainLabels = Idx.readLabels(find(dir, TRAIN_LABELS));
        IdxImages testImages = Idx.readImages(find(dir, TEST_IMAGES));
        int[] testLabels = Idx.readLabels(find(dir, TEST_LABELS));
        checkCount(dir, TRAIN_IMAGES, trainImages, TRAIN_LABELS, trainLabels);
        checkCount(dir, TEST_IMAGES, testImages, TEST_LABELS, testLabels);
        if (trainImages.rows() != testImages.rows() || trainImages.cols() != testImages.cols()) {
            throw new MalformedDataException(dir + ": " + TRAIN_IMAGES + " holds " + trainImages.rows() + "×"
                    + trainImages.cols() + " images but " + TEST_IMAGES + " holds " + testImages.rows() + "×"
                    + testImages.cols() + ": both parts must have the same image size");
        }
        int classes = numClasses > 0 ? numClasses : inferClasses(dir, trainLabels, testLabels);
        Shape sample = Shape.of(trainImages.pixelsPerImage());
        return new Dataset.Split(
                Dataset.adoptPixels(name + "/train", trainImages.pixels(), sample, trainLabels, classes),
                Dataset.adoptPixels(name + "/test", testImages.pixels(), sample, testLabels, classes));
    }

    private static void checkCount(Path dir, String imagesName, IdxImages images, String labelsName, int[] labels)
            throws MalformedDataException {
        if (images.count() != labels.length) {
            throw new MalformedDataException(dir + ": " + imagesName + " holds " + images.count() + " images but "
                    + labelsName + " holds " + labels.length + " labels: they must come from the same release");
        }
    }

    /**
     * The number of classes when nobody said it: the largest label plus one, provided every class below it has at
     * least one training sample. A label far beyond the others (a 200 among the digits 0 to 9) is much more likely a
     * corrupt byte than a class, and would quietly give the model 201 outputs; so it is refused, naming the file, the
     * sample and the value. A deliberate case states the number of classes instead.
     */
    static int inferClasses(Path dir, int[] trainLabels, int[] testLabels) throws MalformedDataException {
        int max = Math.max(maxLabel(trainLabels), maxLabel(testLabels));
        boolean[] trained = new boolean[max + 1];
        for (int l : trainLabels) {
            trained[l] = true;
        }
        int empty = 0;
        while (empty <= max && trained[empty]) {
            empty++;
        }
        if (empty > max) {
            return max + 1;
        }
        String file = TRAIN_LABELS;
        int at = firstAbove(trainLabels, empty);
        if (at < 0) {
            file = TEST_LABELS;
            at = firstAbove(testLabels, empty);
        }
        int value = file.equals(TRAIN_LABELS) ? trainLabels[at] : testLabels[at];
        throw new MalformedDataException(dir.resolve(file) + ": label " + value + " at index " + at + " leaves class "
                + empty + (value - 1 > empty ? " (and others up to " + (value - 1) + ")" : "") + " without a single "
                + "training sample; the labels before it are the classes 0 to " + (empty - 1) + ". Check the file, "
                + "or, if those classes are meant to be empty, give the number of classes explicitly (--classes "
                + (max + 1) + " on the command line).");
    }

    private static int firstAbove(int[] labels, int bound) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] > bound) {
                return i;
            }
        }
        return -1;
    }

    private static int maxLabel(int[] labels) {
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max;
    }
}
