package dev.nabla.cli;

import dev.nabla.io.ModelFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Loading the model that {@code eval} and {@code predict} take with {@code --model}. */
final class SavedModel {
    private SavedModel() {
    }

    /**
     * The model saved in {@code file} (a model.safetensors of {@code nabla train --checkpoint}, or a checkpoint
     * directory, whose model it takes), in evaluation mode; any value its conversion to float32 changed is reported
     * on {@code err}.
     */
    static ModelFile.Loaded load(Path file, PrintWriter err) throws IOException {
        Path path = Files.isDirectory(file) ? file.resolve(dev.nabla.io.Checkpoint.MODEL) : file;
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file: give the model.safetensors that "
                    + "nabla train --checkpoint DIR wrote, or DIR itself");
        }
        ModelFile.Loaded loaded = ModelFile.load(path);
        for (String conversion : loaded.conversions()) {
            err.println("nabla: " + path + ": " + conversion);
        }
        err.flush();
        return loaded;
    }
}
