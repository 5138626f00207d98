package dev.nabla.data;

import static dev.nabla.testing.FuzzedReading.resultOrDocumented;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.testing.FuzzedReading;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the images {@code predict} reads ({@link ImageFiles#grey}) with arbitrary bytes: grey values, or a
 * {@link MalformedDataException} that explains, whatever ImageIO's decoders make of a damaged PNG, JPEG, GIF or
 * BMP; a header claiming a huge image must not make it allocate one. The JDK's decoders are not instrumented for
 * coverage, so a dictionary of the formats' signatures and chunk names ({@code images.dict}) guides the mutations.
 */
@Tag("fuzz")
class ImageFilesFuzzTest {
    @DictionaryFile(resourcePath = "/dev/nabla/data/images.dict")
    @Timeout(10)
    @FuzzTest(maxDuration = "10m")
    void anyBytesGiveGreyValuesOrAnExplanation(byte[] bytes) throws Exception {
        Path file = FuzzedReading.file(".img", bytes);
        resultOrDocumented(() -> ImageFiles.grey(file, 28, 28), MalformedDataException.class);
    }
}
