package dev.nabla.data;

import static dev.nabla.testing.FuzzedReading.resultOrDocumented;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.testing.FuzzedReading;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the images {@code predict} reads ({@link ImageFiles#grey}) with arbitrary bytes: grey values, or a
 * {@link MalformedDataException} that explains, whatever ImageIO's decoders make of a damaged PNG, JPEG, GIF or
 * BMP; a header claiming a huge image must not make it allocate one.
 */
@Tag("fuzz")
class ImageFilesFuzzTest {
    @FuzzTest(maxDuration = "10m")
    @Timeout(10)
    void anyBytesGiveGreyValuesOrAnExplanation(byte[] bytes) throws Exception {
        Path file = FuzzedReading.file(".img", bytes);
        resultOrDocumented(() -> ImageFiles.grey(file, 28, 28), MalformedDataException.class);
    }
}
