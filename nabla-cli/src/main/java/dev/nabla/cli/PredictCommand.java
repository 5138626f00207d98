package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.nabla.autograd.NoGrad;
import dev.nabla.cli.values.Converters;
import dev.nabla.data.CsvData;
import dev.nabla.data.Idx;
import dev.nabla.data.IdxImages;
import dev.nabla.data.ImageFiles;
import dev.nabla.io.AtomicFiles;
import dev.nabla.io.ModelDescription;
import dev.nabla.io.ModelFile;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla predict}: a saved model's classes for new inputs — rows of a CSV file, the images of an IDX file, or
 * image files — with their probabilities; or a regression model's numbers for the rows of a CSV file, in the
 * targets' own units. The model runs in evaluation mode, so a single input is a batch of one and
 * batch normalisation uses the running statistics it kept from training.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify new inputs with a saved model: the rows of a CSV file, the images of an IDX file, or "
                + "image files (PNG, JPEG: converted to grey and resized to the model's input), with the top "
                + "classes' probabilities; or a regression model's predicted values for the rows of a CSV file, in "
                + "the targets' units.", "",
            "Example: nabla predict --model runs/digits/model.safetensors --input digit.png",
            "         nabla predict --model runs/mine/model.safetensors --input new.csv --json"})
public class PredictCommand implements Callable<Integer> {
    /** The file names read as images; any other is a CSV file (.csv) or an IDX image file. */
    static final Set<String> IMAGE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "The model: the model.safetensors that nabla train --checkpoint DIR wrote, or DIR.")
    Path model;

    @Option(names = "--input", paramLabel = "FILE", required = true, arity = "1..*",
            description = "What to classify: a CSV file (a header row; the model's feature columns, or as many "
                    + "columns as it has features), an IDX image file, or one or more image files.")
    List<Path> inputs;

    @Option(names = "--top", paramLabel = "K", converter = Converters.PositiveInt.class,
            description = "Classes shown per input, most probable first. Default: ${DEFAULT-VALUE}.")
    int top = 3;

    @Option(names = "--output", paramLabel = "FILE.csv",
            description = "Also write every prediction to FILE.csv: input, class, and each class's probability (for "
                    + "a regression model: input and each target's value).")
    Path output;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    /** One input's prediction. */
    record Prediction(String input, int predicted, float[] probabilities) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(spec.commandLine().getErr());
        ModelFile.Loaded loaded = SavedModel.load(model, spec.commandLine().getErr());
        ModelDescription d = loaded.description();
        List<String> names = new ArrayList<>();
        float[] x = read(d, names);
        if (d.isRegression()) {
            return regression(out, loaded, names, x);
        }
        Tensor probabilities;
        try (var _ = NoGrad.enter()) {
            loaded.model().eval();
            probabilities = Functional.softmax(loaded.model().call(Tensor.wrap(x, Shape.of(names.size(),
                    d.features()))), -1);
        }
        List<Prediction> predictions = new ArrayList<>();
        int k = d.classes().size();
        int[] best = probabilities.argmax(-1);
        for (int i = 0; i < names.size(); i++) {
            predictions.add(new Prediction(names.get(i), best[i],
                    Arrays.copyOfRange(probabilities.data(), i * k, (i + 1) * k)));
        }
        if (output != null) {
            writeOutput(csv(d.classes(), predictions));
        }
        if (json.json) {
            out.println(json(d.classes(), predictions));
        } else {
            print(out, d.classes(), predictions);
        }
        out.flush();
        return 0;
    }

    /**
     * A regression model's answers: the inputs standardized as the training data was, the outputs turned back into
     * the targets' units.
     */
    private int regression(PrintWriter out, ModelFile.Loaded loaded, List<String> names, float[] x)
            throws IOException {
        if (spec.commandLine().getParseResult().hasMatchedOption("--top")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top ranks a classifier's classes; this "
                    + "model predicts numbers (" + String.join(", ", loaded.description().regression().targets())
                    + "): drop --top");
        }
        ModelDescription.Regression r = loaded.description().regression();
        float[] values;
        try (var _ = NoGrad.enter()) {
            loaded.model().eval();
            Tensor standardized = loaded.model().call(Tensor.wrap(r.featureScaling().apply(x),
                    Shape.of(names.size(), loaded.description().features())));
            values = r.targetScaling().invert(standardized.data());
        }
        List<String> targets = r.targets();
        int t = targets.size();
        if (output != null) {
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                List<String> row = new ArrayList<>(List.of(names.get(i)));
                for (int j = 0; j < t; j++) {
                    row.add(Float.toString(values[i * t + j]));
                }
                rows.add(row);
            }
            CsvSchema.Builder schema = CsvSchema.builder().addColumn("input");
            targets.forEach(schema::addColumn);
            writeOutput(new CsvMapper().writer(schema.build().withHeader()).writeValueAsString(rows));
        }
        if (json.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("input", names.get(i));
                Map<String, Object> predicted = new LinkedHashMap<>();
                for (int j = 0; j < t; j++) {
                    predicted.put(targets.get(j), values[i * t + j]);
                }
                m.put("values", predicted);
                list.add(m);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("targets", targets);
            result.put("predictions", list);
            out.println(new ObjectMapper().writeValueAsString(result));
        } else {
            int width = names.stream().mapToInt(String::length).max().orElse(5);
            for (int i = 0; i < names.size(); i++) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s ", names.get(i)));
                for (int j = 0; j < t; j++) {
                    line.append("  ").append(targets.get(j)).append(' ').append(values[i * t + j]);
                }
                out.println(line);
            }
        }
        out.flush();
        return 0;
    }

    /** The inputs as {@code [N, features]} row-major, each one's name added to {@code names}. */
    private float[] read(ModelDescription d, List<String> names) throws IOException {
        List<float[]> parts = new ArrayList<>();
        for (Path input : inputs) {
            String file = input.getFileName() == null ? input.toString() : input.getFileName().toString();
            String extension = file.contains(".") ? file.substring(file.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT)
                    : "";
            if (extension.equals("csv")) {
                float[] rows = CsvData.features(input, d.columns(), d.features());
                for (int r = 0; r < rows.length / d.features(); r++) {
                    names.add(input + ":" + (r + 1));
                }
                parts.add(rows);
            } else if (IMAGE_EXTENSIONS.contains(extension)) {
                List<Integer> size = image(d, input);
                parts.add(ImageFiles.grey(input, size.get(0), size.get(1)));
                names.add(input.toString());
            } else {
                List<Integer> size = image(d, input);
                IdxImages images = Idx.readImages(input);
                if (images.rows() != size.get(0) || images.cols() != size.get(1)) {
                    throw new IOException(input + " holds " + images.rows() + "×" + images.cols() + " images, but the "
                            + "model takes " + size.get(0) + "×" + size.get(1) + ": give images of its size");
                }
                for (int i = 0; i < images.count(); i++) {
                    names.add(input + ":" + (i + 1));
                }
                parts.add(images.toUnitFloats());
            }
        }
        float[] x = new float[Math.multiplyExact(names.size(), d.features())];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, x, at, part.length);
            at += part.length;
        }
        if (names.isEmpty()) {
            throw new IOException("the inputs hold no rows or images to classify");
        }
        return x;
    }

    /** The model's image size, or a refusal when it was trained on something else than images. */
    private List<Integer> image(ModelDescription d, Path input) {
        if (d.image().isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--input " + input + ": the model was "
                    + "trained on " + d.features() + " CSV columns, not on images: give a CSV file of rows");
        }
        return d.image();
    }

    private Integer[] ranked(float[] p) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        return order;
    }

    private void print(PrintWriter out, List<String> classes, List<Prediction> predictions) {
        int width = predictions.stream().mapToInt(p -> p.input().length()).max().orElse(5);
        for (Prediction p : predictions) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s ", p.input()));
            Integer[] order = ranked(p.probabilities());
            for (int j = 0; j < Math.min(top, order.length); j++) {
                line.append(String.format(Locale.ROOT, "  %s %.4f", classes.get(order[j]),
                        p.probabilities()[order[j]]));
            }
            out.println(line);
        }
    }

    private static String json(List<String> classes, List<Prediction> predictions) throws IOException {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("classes", classes);
        List<Map<String, Object>> list = new ArrayList<>();
        for (Prediction p : predictions) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", p.input());
            m.put("class", classes.get(p.predicted()));
            m.put("probabilities", p.probabilities());
            list.add(m);
        }
        result.put("predictions", list);
        return new ObjectMapper().writeValueAsString(result);
    }

    /** Writes {@code csv} to --output, atomically, or says why it cannot, naming the flag and what would do. */
    private void writeOutput(String csv) throws IOException {
        if (Files.isDirectory(output)) {
            throw new IOException("--output " + output + " is a directory: give the name of a file to write, e.g. "
                    + output.resolve("predictions.csv"));
        }
        try {
            AtomicFiles.writeString(output, csv);
        } catch (FileSystemException e) {
            throw new IOException("--output " + output + ": cannot write the predictions there ("
                    + Failures.reason(e) + (e.getFile() != null && !Path.of(e.getFile()).equals(output) ? " at "
                    + e.getFile() : "") + "): give a file in a directory you can write to", e);
        }
    }

    private static String csv(List<String> classes, List<Prediction> predictions) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().addColumn("input").addColumn("class");
        classes.forEach(c -> schema.addColumn("p_" + c));
        List<List<String>> rows = new ArrayList<>();
        for (Prediction p : predictions) {
            List<String> row = new ArrayList<>(List.of(p.input(), classes.get(p.predicted())));
            for (float v : p.probabilities()) {
                row.add(Float.toString(v));
            }
            rows.add(row);
        }
        return new CsvMapper().writer(schema.build().withHeader()).writeValueAsString(rows);
    }
}
