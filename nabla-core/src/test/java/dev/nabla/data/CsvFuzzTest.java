package dev.nabla.data;

import static dev.nabla.testing.FuzzedReading.resultOrDocumented;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nabla.testing.FuzzedReading;
import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the CSV readers with arbitrary bytes: {@link CsvData} as training data (classes and regression) and as
 * rows to classify, and {@link IntCsv} (the bundled digits' format). Each returns its rows or throws a
 * {@link MalformedDataException} that explains; a label such as {@code 999999999} must not make a billion classes.
 */
@Tag("fuzz")
class CsvFuzzTest {
    @FuzzTest(maxDuration = "10m")
    @Timeout(10)
    void anyBytesGiveRowsOrAnExplanation(byte[] bytes) throws Exception {
        Path file = FuzzedReading.file(".csv", bytes);
        resultOrDocumented(() -> CsvData.read(file, null), MalformedDataException.class);
        resultOrDocumented(() -> CsvData.readRegression(file, List.of(), null), MalformedDataException.class);
        resultOrDocumented(() -> CsvData.features(file, List.of("a", "b"), 2), MalformedDataException.class);
        String text = new String(bytes, StandardCharsets.UTF_8);
        resultOrDocumented(() -> IntCsv.read(new BufferedReader(new StringReader(text)), "fuzzed", 3,
                row -> row[2] < 0 ? "column 3: " + row[2] + " is negative" : null), MalformedDataException.class);
    }
}
