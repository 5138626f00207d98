package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void aDescriptionOfAModelLargerThanTheFileIsRefusedBeforeTheModelIsBuilt() throws Exception {
        // a damaged description: 2^30 inputs to 2^30 outputs would be 2^60 weights, the file holds 2 values
        var huge = new MlpSpec(1 << 30, List.of(), 2, Activation.RELU, Init.Scheme.DEFAULT);
        var description = new ModelDescription(huge, 1 << 30, List.of(), List.of(), List.of("a", "b"), "d");
        Path file = dir.resolve("m.safetensors");
        SafeTensors.writer().add("0.bias", Tensor.zeros(2)).metadata(ModelDescription.METADATA_KEY,
                description.toJson()).write(file);

        var e = assertThrows(IllegalArgumentException.class, () -> ModelFile.load(file));

        assertTrue(e.getMessage().contains("with 2147483650 parameters, but the file holds only 2 values"),
                e.getMessage());
    }
}
