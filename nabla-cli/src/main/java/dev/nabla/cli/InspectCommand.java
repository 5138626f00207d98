package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.io.ModelDescription;
import dev.nabla.io.SafeTensors;
import dev.nabla.io.SafeTensorsFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code nabla inspect}: what a safetensors file holds — each tensor's name, type, shape and size, the metadata, and
 * for a model Nabla saved, the model it describes — for any safetensors file, Nabla's or not. The file is validated
 * as {@code predict} and {@code eval} would read it; no tensor is read.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the tensors (name, type, shape, size), the metadata and, for a model saved by nabla "
                + "train, the model of a safetensors file; any safetensors file, Nabla's or not.", "",
            "Example: nabla inspect runs/digits/model.safetensors"})
public class InspectCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The safetensors file, or a directory of nabla train "
            + "--checkpoint, whose model.safetensors it shows.")
    Path file;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.isDirectory(file)) {
            file = file.resolve(dev.nabla.io.Checkpoint.MODEL);
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file: give a safetensors file, or the "
                    + "directory nabla train --checkpoint DIR wrote");
        }
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            long values = 0;
            List<Map<String, Object>> tensors = new ArrayList<>();
            for (SafeTensors.Entry e : in.entries().values()) {
                values += e.elements();
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("name", e.name());
                t.put("dtype", e.dtype().name());
                t.put("shape", e.shape());
                t.put("size", e.elements());
                tensors.add(t);
            }
            String described = in.metadata().get(ModelDescription.METADATA_KEY);
            ModelDescription description = described == null ? null : ModelDescription.fromJson(described);
            if (json.json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("file", file.toString());
                result.put("bytes", Files.size(file));
                result.put("tensors", tensors);
                result.put("values", values);
                if (description != null) {
                    result.put("model", description.spec().toString());
                    result.put("parameters", description.spec().parameterCount());
                    result.put("task", description.isRegression() ? "regression" : "classification");
                    if (description.isRegression()) {
                        result.put("targets", description.regression().targets());
                    } else {
                        result.put("classes", description.classes());
                    }
                }
                result.put("metadata", in.metadata());
                out.println(new ObjectMapper().writeValueAsString(result));
                return 0;
            }
            out.println(String.format(Locale.ROOT, "file   %s · %,d bytes · %d tensors · %,d values (parameters and "
                    + "buffers)", file,
                    Files.size(file), tensors.size(), values));
            if (description != null) {
                out.println(String.format(Locale.ROOT, "model  %s · %,d parameters · trained on %s", description.spec(),
                        description.spec().parameterCount(), description.data()));
                out.println("input  " + description.features() + " features" + (description.image().isEmpty() ? ""
                        : ", greyscale images of " + description.image().get(0) + "×" + description.image().get(1))
                        + (description.columns().isEmpty() ? "" : ", columns " + description.columns()));
                out.println(description.isRegression() ? "targets " + String.join(", ",
                        description.regression().targets()) + " (regression; inputs and targets standardized as "
                        + "the training data was)" : "classes " + String.join(", ", description.classes()));
            }
            int nameWidth = Math.max(4, in.entries().keySet().stream().mapToInt(String::length).max().orElse(0));
            out.println();
            out.println(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-5s  %-16s  %12s", "name", "dtype", "shape",
                    "size"));
            for (SafeTensors.Entry e : in.entries().values()) {
                out.println(String.format(Locale.ROOT, "%-" + nameWidth + "s  %-5s  %-16s  %,12d", e.name(), e.dtype(),
                        e.shapeText(), e.elements()));
            }
            in.metadata().forEach((k, v) -> {
                if (!k.equals(ModelDescription.METADATA_KEY) && !k.startsWith("nabla.")) {
                    out.println("metadata  " + k + " = " + v);
                }
            });
        }
        out.flush();
        return 0;
    }
}
