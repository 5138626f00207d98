package dev.nabla.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that breaks the format: the message names the file, the tensor at fault and what is wrong. */
public final class SafeTensorsException extends IOException {
    /** A fault of the file as a whole: "{@code file}: {@code problem}". */
    public SafeTensorsException(Path file, String problem) {
        super(file + " " + problem);
    }

    /** A fault of one tensor: "{@code file}: tensor '{@code name}' {@code problem}". */
    public SafeTensorsException(Path file, String tensor, String problem) {
        super(file + ": tensor '" + tensor + "' " + problem);
    }
}
