package dev.nabla.io;

import static dev.nabla.testing.FuzzedReading.resultOrDocumented;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.testing.FuzzedReading;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the safetensors reader with arbitrary bytes, header and data: {@link SafeTensors#open} either refuses the
 * file with a {@link SafeTensorsException} or every tensor it lists reads, as float32 and, by its type, as longs or
 * doubles, each read returning values or a SafeTensorsException.
 */
@Tag("fuzz")
class SafeTensorsFuzzTest {
    @FuzzTest(maxDuration = "10m")
    @Timeout(10)
    void anyBytesGiveTensorsOrAnExplanation(byte[] bytes) throws Exception {
        Path file = FuzzedReading.file(".safetensors", bytes);
        resultOrDocumented(() -> {
            try (SafeTensorsFile in = SafeTensors.open(file)) {
                for (var e : in.entries().values()) {
                    resultOrDocumented(() -> in.tensor(e.name()), SafeTensorsException.class);
                    resultOrDocumented(() -> in.longs(e.name()), SafeTensorsException.class);
                    resultOrDocumented(() -> in.doubles(e.name()), SafeTensorsException.class);
                }
            }
        }, SafeTensorsException.class);
    }
}
