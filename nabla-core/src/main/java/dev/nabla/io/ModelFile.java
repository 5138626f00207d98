package dev.nabla.io;

import dev.nabla.nn.Module;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model's weights as a safetensors file that PyTorch's {@code load_state_dict} takes: every parameter and buffer
 * under its {@code state_dict} name, float32, except {@code num_batches_tracked}, int64 as in PyTorch. When the
 * model was built from a {@link ModelDescription}, the file carries it in its metadata, so that {@link #load(Path)}
 * rebuilds the model from the file alone.
 */
public final class ModelFile {
    /** The buffers PyTorch keeps as int64: BatchNorm's count of batches. */
    static final String INT64_BUFFER = "num_batches_tracked";

    private ModelFile() {
    }

    /** A model read from a file, with its description. */
    public record Loaded(Module model, ModelDescription description, List<String> conversions) {
    }

    /** Writes {@code model}'s state to {@code file} atomically, with {@code description} (or none, if null). */
    public static void save(Path file, Module model, ModelDescription description) throws IOException {
        writer(model, description).write(file);
    }

    /** The writer of {@link #save}, for a caller that adds metadata of its own. */
    static SafeTensors.Writer writer(Module model, ModelDescription description) {
        return addState(SafeTensors.writer().metadata("format", "pt"), model, description, "");
    }

    /** Adds {@code model}'s state, each name after {@code prefix}, and {@code description} (if any). */
    static SafeTensors.Writer addState(SafeTensors.Writer writer, Module model, ModelDescription description,
                                       String prefix) {
        if (description != null) {
            writer.metadata(ModelDescription.METADATA_KEY, description.toJson());
        }
        model.namedState().forEach((name, t) -> {
            if (name.equals(INT64_BUFFER) || name.endsWith("." + INT64_BUFFER)) {
                writer.addInt64(prefix + name, new long[] {(long) t.item()});
            } else {
                writer.add(prefix + name, t);
            }
        });
        return writer;
    }

    /**
     * Rebuilds the model described in {@code file}'s metadata and loads its weights, strictly.
     *
     * @throws IOException              when the file is unreadable or breaks the format
     * @throws IllegalArgumentException when it has no Nabla model description (a PyTorch file: build the model
     *                                  and use {@link #loadInto}), or its tensors do not fit the model described
     *                                  (checked by count before the model is built, so that a damaged description
     *                                  of a huge model is not allocated)
     */
    public static Loaded load(Path file) throws IOException {
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            String json = in.metadata().get(ModelDescription.METADATA_KEY);
            if (json == null) {
                throw new IllegalArgumentException(file + " holds weights but no Nabla model description (metadata '"
                        + ModelDescription.METADATA_KEY + "'), so the model cannot be rebuilt from it: it was not "
                        + "saved by nabla train; build the model in code and load the weights with ModelFile.loadInto");
            }
            ModelDescription description;
            try {
                description = ModelDescription.fromJson(json);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
            long parameters = description.spec().parameterCount();
            long largest = description.spec().largestWeight();
            long values = in.entries().values().stream().mapToLong(SafeTensors.Entry::elements).sum();
            if (parameters < 0 || largest < 0 || parameters > values || largest > values) {   // < 0: overflowed
                throw new IllegalArgumentException(file + ": its model description is of a " + description.spec()
                        + " network with " + (parameters < 0 || largest < 0 ? "more than 2^63" : parameters)
                        + " parameters, but the file holds only " + values + " values: the description does not "
                        + "belong to these weights (the file is damaged)");
            }
            Module model = description.spec().build(new Rng(0));
            loadInto(in, model, true);
            model.eval();
            return new Loaded(model, description, in.conversions());
        }
    }

    /**
     * Loads {@code file}'s tensors into {@code model} by name ({@link Module#loadStateDict}); nothing changes when
     * they do not fit.
     *
     * @return the tensors' conversions to float32 that changed values (empty for a float32 file)
     */
    public static List<String> loadInto(Path file, Module model, boolean strict) throws IOException {
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            loadInto(in, model, strict);
            return in.conversions();
        }
    }

    static Module.LoadResult loadInto(SafeTensorsFile in, Module model, boolean strict) throws IOException {
        Map<String, Tensor> state = in.tensors("");
        try {
            return model.loadStateDict(state, strict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(in.path() + ": " + e.getMessage(), e);
        }
    }
}
