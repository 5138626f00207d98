package dev.nabla.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: the byte layout of the MNIST files, raw or gzip. */
final class IdxFiles {
    private IdxFiles() {}

    /** The bytes of an image file: magic, count, rows, cols, then the pixels. */
    static byte[] images(int count, int rows, int cols, byte[] pixels) {
        return ByteBuffer.allocate(16 + pixels.length)
                .putInt(Idx.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(cols).put(pixels).array();
    }

    /** The bytes of a label file: magic, count, then the labels. */
    static byte[] labels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length).putInt(Idx.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    /** Pixels 0, 1, 2, … wrapping at 256. */
    static byte[] ramp(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) i;
        }
        return p;
    }

    static Path write(Path file, byte[] bytes, boolean gzip) throws IOException {
        if (!gzip) {
            return Files.write(file, bytes);
        }
        var out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(bytes);
        }
        return Files.write(file, out.toByteArray());
    }

    /**
     * Writes the four MNIST-style files into {@code dir}: {@code nTrain} and {@code nTest} images of
     * {@code side × side}, labels {@code i % classes}.
     */
    static void writeSplit(Path dir, int nTrain, int nTest, int side, int classes, boolean gzip) throws IOException {
        String ext = gzip ? ".gz" : "";
        write(dir.resolve(IdxDirectory.TRAIN_IMAGES + ext),
                images(nTrain, side, side, ramp(nTrain * side * side)), gzip);
        write(dir.resolve(IdxDirectory.TRAIN_LABELS + ext), labels(cycle(nTrain, classes)), gzip);
        write(dir.resolve(IdxDirectory.TEST_IMAGES + ext), images(nTest, side, side, ramp(nTest * side * side)), gzip);
        write(dir.resolve(IdxDirectory.TEST_LABELS + ext), labels(cycle(nTest, classes)), gzip);
    }

    private static int[] cycle(int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = i % classes;
        }
        return l;
    }
}
