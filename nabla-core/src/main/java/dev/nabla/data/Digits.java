package dev.nabla.data;

import dev.nabla.tensor.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The UCI "Optical Recognition of Handwritten Digits" set, bundled in the jar so that Nabla trains out of the box:
 * 1797 greyscale images of 8×8 pixels, digits 0–9. Pixels (counts 0..16 in the source) are divided by 16 into
 * {@code [0, 1]}; samples are flat, shape {@code [64]}.
 *
 * <p>Source: E. Alpaydin and C. Kaynak, <i>Optical Recognition of Handwritten Digits</i>, UCI Machine Learning
 * Repository, 1998, licensed CC BY 4.0. The bundled {@code digits.csv.gz} holds the
 * 1797 images of its test part: one image a line, 64 pixel
 * columns then the label, no header.
 *
 * <p>Loaded once, on first use, and shared: the datasets are immutable.
 */
public final class Digits {
    /** The number of images. */
    public static final int SIZE = 1797;
    /** The number of classes. */
    public static final int NUM_CLASSES = 10;
    /** The fraction of images in {@link #train()}. */
    public static final double TRAIN_FRACTION = 0.8;
    /** The seed of the fixed split into {@link #train()} (1437 images) and {@link #test()} (360). */
    public static final long SPLIT_SEED = 1998L;

    static final String RESOURCE = "digits.csv.gz";
    private static final int PIXELS = 64;
    private static final int MAX_PIXEL = 16;

    private Digits() {}

    /** All 1797 images, in file order, named {@code digits}. */
    public static Dataset all() {
        return Holder.ALL;
    }

    /** The fixed 80% training part (1437 images), named {@code digits/train}. */
    public static Dataset train() {
        return Holder.SPLIT.train();
    }

    /** The fixed 20% held-out part (360 images), named {@code digits/test}; disjoint from {@link #train()}. */
    public static Dataset test() {
        return Holder.SPLIT.test();
    }

    /** Initialised by the JVM on first access, exactly once, thread-safe (the lazy-holder idiom). */
    private static final class Holder {
        static final Dataset ALL = load();
        static final Dataset.Split SPLIT = ALL.split(TRAIN_FRACTION, SPLIT_SEED);
    }

    private static Dataset load() {
        try (InputStream raw = Digits.class.getResourceAsStream(RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("resource dev/nabla/data/" + RESOURCE + " is missing from the "
                        + "class path: the nabla-core jar is incomplete, rebuild it");
            }
            var in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            return parse(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled digits set: " + e.getMessage(), e);
        }
    }

    /** Parses the CSV: 64 pixels in 0..16 then a label in 0..9 per line. */
    static Dataset parse(BufferedReader in, String source) throws IOException {
        List<int[]> rows = IntCsv.read(in, source, PIXELS + 1, Digits::problem);
        float[] features = new float[rows.size() * PIXELS];
        int[] labels = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int[] row = rows.get(i);
            for (int p = 0; p < PIXELS; p++) {
                features[i * PIXELS + p] = row[p] / (float) MAX_PIXEL;
            }
            labels[i] = row[PIXELS];
        }
        return Dataset.adopt("digits", features, Shape.of(PIXELS), labels, NUM_CLASSES);
    }

    private static String problem(int[] row) {
        for (int p = 0; p < PIXELS; p++) {
            if (row[p] < 0 || row[p] > MAX_PIXEL) {
                return "column " + (p + 1) + ": pixel " + row[p] + " is outside 0.." + MAX_PIXEL;
            }
        }
        int label = row[PIXELS];
        return label < 0 || label >= NUM_CLASSES
                ? "column " + (PIXELS + 1) + ": label " + label + " is outside 0.." + (NUM_CLASSES - 1) : null;
    }
}
