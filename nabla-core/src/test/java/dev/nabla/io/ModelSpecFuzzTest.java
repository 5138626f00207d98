package dev.nabla.io;

import static dev.nabla.testing.FuzzedReading.resultOrDocumented;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.testing.FuzzedReading;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the model description a model file carries (its spec JSON): any text as {@link ModelDescription#fromJson}
 * reads it, and as {@link ModelFile#load} meets it in the metadata of a file holding a small model's weights, which
 * the model described must fit. Each gives a description or model, or an IllegalArgumentException (a description that is wrong
 * or does not fit the weights) or SafeTensorsException that explains; a spec of billions of weights must not be
 * built.
 */
@Tag("fuzz")
class ModelSpecFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "10m")
    @Timeout(10)
    void anyDescriptionGivesAModelOrAnExplanation(byte[] bytes) throws Exception {
        String json = new String(bytes, StandardCharsets.UTF_8);
        resultOrDocumented(() -> ModelDescription.fromJson(json), IllegalArgumentException.class);
        Path file = FuzzedReading.file(".safetensors", modelFile(json));
        resultOrDocumented(() -> ModelFile.load(file), IllegalArgumentException.class, SafeTensorsException.class);
    }

    /**
     * A safetensors file with {@code description} in its metadata and the weights of a Linear from one input to two
     * classes, {@code 0.weight} and {@code 0.bias}: the model of a description {@code 1-2} loads from it.
     */
    private static byte[] modelFile(String description) throws Exception {
        byte[] header = JSON.writeValueAsBytes(Map.of(
                SafeTensors.METADATA_KEY, Map.of(ModelDescription.METADATA_KEY, description),
                "0.weight", Map.of("dtype", "F32", "shape", new int[] {2, 1}, "data_offsets", new int[] {0, 8}),
                "0.bias", Map.of("dtype", "F32", "shape", new int[] {2}, "data_offsets", new int[] {8, 16})));
        return ByteBuffer.allocate(8 + header.length + 16).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length)
                .put(header).putFloat(0.5f).putFloat(-0.5f).putFloat(0.25f).putFloat(0).array();
    }
}
