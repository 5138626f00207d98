package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void imagesRoundTrip(boolean gzip) throws IOException {
        byte[] pixels = IdxFiles.ramp(3 * 2 * 4);
        pixels[5] = (byte) 255;
        Path file = IdxFiles.write(dir.resolve("img"), IdxFiles.images(3, 2, 4, pixels), gzip);

        IdxImages images = Idx.readImages(file);

        assertEquals(3, images.count());
        assertEquals(2, images.rows());
        assertEquals(4, images.cols());
        assertArrayEquals(pixels, images.pixels());
        float[] unit = images.toUnitFloats();
        assertEquals(1f, unit[5], "byte 0xff is unsigned 255, scaled to 1");
        assertEquals(7 / 255f, unit[7]);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void imagesOfSeveralReadBuffersComeBackByteForByte(boolean gzip) throws IOException {
        int count = 200;   // 200 × 28 × 28 bytes: a body of several read buffers
        byte[] pixels = noise(count * 28 * 28);
        Path file = IdxFiles.write(dir.resolve("img"), IdxFiles.images(count, 28, 28, pixels), gzip);

        IdxImages images = Idx.readImages(file);

        assertEquals(count, images.count());
        assertEquals(28 * 28, images.pixelsPerImage());
        assertArrayEquals(pixels, images.pixels());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void labelsRoundTrip(boolean gzip) throws IOException {
        Path file = IdxFiles.write(dir.resolve("lbl"), IdxFiles.labels(7, 0, 9, 200), gzip);

        assertArrayEquals(new int[] {7, 0, 9, 200}, Idx.readLabels(file));
    }

    @Test
    void gzipIsDetectedByContentNotName() throws IOException {
        Path gzipNamedRaw = IdxFiles.write(dir.resolve("raw.gz"), IdxFiles.labels(1, 2), false);
        Path rawNamedGzip = IdxFiles.write(dir.resolve("plain"), IdxFiles.labels(3, 4), true);

        assertArrayEquals(new int[] {1, 2}, Idx.readLabels(gzipNamedRaw));
        assertArrayEquals(new int[] {3, 4}, Idx.readLabels(rawNamedGzip));
    }

    /** Bytes that do not compress, so cutting a gzip file's tail cuts into the data. */
    private static byte[] noise(int n) {
        var rng = new dev.nabla.tensor.Rng(7);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) rng.nextInt(256);
        }
        return b;
    }

    @Test
    void missingFileNamesPath() {
        Path file = dir.resolve("nowhere-idx1-ubyte");

        var e = assertThrows(NoSuchFileException.class, () -> Idx.readLabels(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void truncatedImageFileNamesFileAndOffset(boolean gzip) throws IOException {
        byte[] whole = IdxFiles.images(3, 2, 4, IdxFiles.ramp(24));
        Path file = IdxFiles.write(dir.resolve("img"), Arrays.copyOf(whole, whole.length - 5), gzip);

        var e = assertThrows(MalformedDataException.class, () -> Idx.readImages(file));

        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains("truncated"), m);
        assertTrue(m.contains("expected 24 bytes"), m);
        assertTrue(m.contains("at offset 16"), m);
        assertTrue(m.contains("found only 19"), m);
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void aShortFileWhoseHeaderClaimsTwoBillionPixelsFailsWithoutAllocatingThem(boolean gzip) throws IOException {
        // 46,340 images of 46,340 × 1 pixels: 2,147,395,600 bytes claimed, 100 present
        Path file = IdxFiles.write(dir.resolve("huge"), IdxFiles.images(46_340, 46_340, 1, IdxFiles.ramp(100)), gzip);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        var e = assertThrows(MalformedDataException.class, () -> Idx.readImages(file));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("found only 100"), e.getMessage());
        assertTrue(allocated < 8_000_000, allocated + " bytes allocated for a 116-byte file");
    }

    /** A whole file's body is read into one array made at once, not grown by doubling (garbage the size of the data). */
    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void aWholeFilesPixelsAreReadIntoOneArrayOfTheirSize(boolean gzip) throws IOException {
        byte[] pixels = noise(6_000_000);
        Path file = IdxFiles.write(dir.resolve("big"), IdxFiles.images(6_000, 1_000, 1, pixels), gzip);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        IdxImages images = Idx.readImages(file);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertArrayEquals(pixels, images.pixels());
        assertTrue(allocated < 7_000_000, allocated + " bytes allocated to read 6,000,000 pixels");
    }

    @Test
    void aHeaderWhoseDimensionsMultiplyBeyondALongIsRefusedAsTooLarge() throws IOException {
        // 70,219,631 images of 1,919,627,112 × 761,689,466: the product wraps around a long to a negative number
        byte[] bytes = IdxFiles.images(0x042f776f, 0x726b2f68, 0x2d66757a, new byte[0]);
        Path file = IdxFiles.write(dir.resolve("img"), bytes, false);

        var e = assertThrows(MalformedDataException.class, () -> Idx.readImages(file));

        assertTrue(e.getMessage().contains("more pixels than one array holds"), e.getMessage());
    }

    @Test
    void truncatedHeaderNamesWhatIsMissing() throws IOException {
        byte[] whole = IdxFiles.labels(1, 2, 3);
        Path file = IdxFiles.write(dir.resolve("lbl"), Arrays.copyOf(whole, 6), false);

        var e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(file));

        assertTrue(e.getMessage().contains("label count at offset 4"), e.getMessage());
        assertTrue(e.getMessage().contains("found only 2"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncation() throws IOException {
        Path full = IdxFiles.write(dir.resolve("full.gz"), IdxFiles.images(50, 8, 8, noise(3200)), true);
        byte[] gz = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 12));

        var e = assertThrows(MalformedDataException.class, () -> Idx.readImages(cut));

        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 3200 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("decompressed"), e.getMessage());
    }

    @Test
    void gzipCutInsideItsTrailerIsReported() throws IOException {
        Path full = IdxFiles.write(dir.resolve("full.gz"), IdxFiles.labels(1, 2, 3), true);
        byte[] gz = Files.readAllBytes(full);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 4));

        var e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(cut));

        assertTrue(e.getMessage().contains(cut.toString() + " is truncated"), e.getMessage());
    }

    @Test
    void bytesBeyondTheHeaderCountAreReported() throws IOException {
        byte[] bytes = Arrays.copyOf(IdxFiles.labels(1, 2, 3), 11 + 5);
        Path file = IdxFiles.write(dir.resolve("lbl"), bytes, false);

        var e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(file));

        assertTrue(e.getMessage().contains("5 bytes follow the data at offset 11"), e.getMessage());
    }

    @Test
    void badMagicNamesFoundAndExpected() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.txt"), "hello, this is not an IDX file");

        var e = assertThrows(MalformedDataException.class, () -> Idx.readImages(file));

        String m = e.getMessage();
        assertTrue(m.contains(file.toString()), m);
        assertTrue(m.contains("magic number 0x68656c6c at offset 0, expected 0x00000803"), m);
        assertTrue(m.contains("not an IDX file"), m);
    }

    @Test
    void imageFileReadAsLabelsSaysWhatItIs() throws IOException {
        Path file = IdxFiles.write(dir.resolve("img"), IdxFiles.images(1, 2, 2, new byte[4]), false);

        var e = assertThrows(MalformedDataException.class, () -> Idx.readLabels(file));

        assertTrue(e.getMessage().contains("expected 0x00000801"), e.getMessage());
        assertTrue(e.getMessage().contains("with 3 dimensions"), e.getMessage());
    }

    @Test
    void negativeDimensionIsRejected() throws IOException {
        byte[] bytes = IdxFiles.images(1, 2, 2, new byte[4]);
        bytes[8] = (byte) 0xff; // rows = 0xff000002
        Path file = IdxFiles.write(dir.resolve("img"), bytes, false);

        var e = assertThrows(MalformedDataException.class, () -> Idx.readImages(file));

        assertTrue(e.getMessage().contains("rows at offset 8"), e.getMessage());
    }
}
