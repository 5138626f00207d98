package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    @Test
    void aGreyPngKeepsItsValues() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(1, 0, 0, 255);
        Path file = dir.resolve("grey.png");
        ImageIO.write(image, "png", file.toFile());

        assertArrayEquals(new float[] {0, 1}, ImageFiles.grey(file, 1, 2));
    }

    @Test
    void aPngWhoseHeaderClaimsAHugeImageIsRefusedBeforeItsPixelsAreAllocated() throws IOException {
        Path file = Files.write(dir.resolve("huge.png"), png(100_000, 100_000));

        var e = assertThrows(MalformedDataException.class, () -> ImageFiles.grey(file, 28, 28));

        assertTrue(e.getMessage().contains("an image of 100000×100000 pixels, more than the 33554432"),
                e.getMessage());
    }

    @Test
    void aDamagedPngIsMalformedDataNamingTheFormat() throws IOException {
        byte[] bytes = png(4, 4);
        Path file = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length - 4));

        var e = assertThrows(MalformedDataException.class, () -> ImageFiles.grey(file, 4, 4));

        assertTrue(e.getMessage().contains("is a damaged png image"), e.getMessage());
    }

    @Test
    void aFileThatIsNoImageSaysWhichFormatsAreRead() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.png"), "not an image");

        var e = assertThrows(MalformedDataException.class, () -> ImageFiles.grey(file, 4, 4));

        assertTrue(e.getMessage().contains("is not an image this JVM reads (PNG, JPEG, GIF, BMP)"), e.getMessage());
    }

    /** The signature and header chunk of a grey PNG of {@code width × height}, without any pixel data. */
    private static byte[] png(int width, int height) {
        ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        ByteBuffer chunk = ByteBuffer.allocate(8 + 12 + 13);
        chunk.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put("IHDR".getBytes())
                .put(header.array());
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 12, 17);
        return chunk.putInt((int) crc.getValue()).array();
    }
}
