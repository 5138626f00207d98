package dev.nabla.data;

import static dev.nabla.testing.FuzzedReading.resultOrDocumented;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.testing.FuzzedReading;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the IDX reader ({@link Idx}) with arbitrary bytes, raw or gzip: it returns the images or labels, or throws
 * a {@link MalformedDataException} that explains; a header claiming billions of pixels must not make it allocate
 * them. Regression inputs: {@code IdxFuzzTestInputs/} beside this class in the test resources.
 */
@Tag("fuzz")
class IdxFuzzTest {
    @FuzzTest(maxDuration = "10m")
    @Timeout(10)
    void anyBytesGiveImagesOrLabelsOrAnExplanation(byte[] bytes) throws Exception {
        Path file = FuzzedReading.file(".idx", bytes);
        resultOrDocumented(() -> Idx.readImages(file), MalformedDataException.class);
        resultOrDocumented(() -> Idx.readLabels(file), MalformedDataException.class);
    }
}
