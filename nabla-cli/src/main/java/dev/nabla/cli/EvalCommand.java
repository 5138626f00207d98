package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.data.CsvData;
import dev.nabla.data.Dataset;
import dev.nabla.data.Datasets;
import dev.nabla.io.ModelDescription;
import dev.nabla.io.ModelFile;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.report.EvalReport;
import dev.nabla.loss.MSELoss;
import dev.nabla.tensor.Numbers;
import dev.nabla.train.ClassificationReport;
import dev.nabla.train.Evaluation;
import dev.nabla.train.RegressionMetrics;
import java.nio.file.Files;
import java.io.PrintWriter;
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
import picocli.CommandLine.Option;

/**
 * {@code nabla eval}: how a saved model does on labelled data — loss, accuracy, each class's precision and recall,
 * and the confusion matrix, as tables, as JSON, and as a chart in an HTML report; for a regression model, R², MAE and
 * RMSE in the targets' units.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model on labelled data: loss, accuracy, per-class precision and recall, and "
                + "the confusion matrix; for a regression model, R², MAE and RMSE in the targets' units.", "",
            "Example: nabla eval --model runs/digits/model.safetensors --data digits",
            "         nabla eval --model runs/mine/model.safetensors --data test.csv"})
public class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true,
            description = "The model: the model.safetensors that nabla train --checkpoint DIR wrote, or DIR.")
    Path model;

    @Option(names = "--data", paramLabel = "digits|fashion-mnist|DIR|FILE.csv",
            description = "The data: a dataset's name or IDX directory (its test part is used), or a CSV file with "
                    + "the model's feature columns and a label column (all its rows are used). Default: the data the "
                    + "model was trained on, if it has a test part.")
    String data;

    @Option(names = "--label-column", paramLabel = "NAME",
            description = "The label column of a CSV file. Default: the last column.")
    String labelColumn;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write eval.html (the confusion matrix as a chart, and the per-class table) into DIR.")
    Path report;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        threads.apply(err);
        ModelFile.Loaded loaded = SavedModel.load(model, err);
        ModelDescription description = loaded.description();
        if (description.isRegression()) {
            return regression(out, loaded);
        }
        if (report != null) {
            OutputDirectory.prove("--report " + report, report, "the report is eval.html");
        }
        Dataset dataset = dataset(description);
        if (dataset.features() != description.features()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + dataset.name() + " has "
                    + dataset.features() + " features per sample, but the model takes " + description.features()
                    + ": evaluate it on data like the data it was trained on (" + description.data() + ")");
        }
        if (!dataset.classNames().equals(description.classes())) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data " + dataset.name() + " has the "
                    + "classes " + dataset.classNames() + ", the model " + description.classes() + ": evaluate it on "
                    + "data with the classes it was trained on");
        }
        ClassificationReport result = ClassificationReport.of(loaded.model(), dataset, new CrossEntropyLoss(),
                description.spec().evalBatchSize());
        if (json.json) {
            out.println(new ObjectMapper().writeValueAsString(json(result, dataset)));
        } else {
            print(out, result, dataset);
        }
        out.flush();
        if (report != null) {
            Path html = EvalReport.write(report, "Evaluation: " + description.spec() + " on " + dataset.name(), result,
                    dataset, description.image());
            (json.json ? err : out).println("report " + html);
            (json.json ? err : out).flush();
        }
        return 0;
    }

    /**
     * A regression model's errors on a CSV file, in the targets' units: read with the model's feature and target
     * columns, standardized as its training data was.
     */
    private int regression(PrintWriter out, ModelFile.Loaded loaded) throws java.io.IOException {
        ModelDescription d = loaded.description();
        if (report != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--report draws a classifier's confusion "
                    + "matrix; this model predicts numbers (" + String.join(", ", d.regression().targets())
                    + "), and its errors are printed: drop --report");
        }
        String name = data == null ? d.data() : data;
        if (!name.strip().toLowerCase(Locale.ROOT).endsWith(".csv") && !Files.isRegularFile(Path.of(name.strip()))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "a regression model is evaluated on a CSV "
                    + "file with its feature and target columns: give --data FILE.csv");
        }
        List<String> targets = labelColumn == null ? d.regression().targets() : DataOptions.columns(labelColumn);
        if (targets.size() != d.regression().targets().size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--label-column " + labelColumn + " names "
                    + targets.size() + " target columns, and the model predicts " + d.regression().targets().size()
                    + " (" + String.join(", ", d.regression().targets()) + ")");
        }
        Dataset dataset = CsvData.readRegression(Path.of(name.strip()), targets, d.columns())
                .standardized(d.regression().featureScaling(), d.regression().targetScaling());
        Evaluation result = RegressionMetrics.evaluate(loaded.model(), dataset, new MSELoss());
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("data", dataset.name());
            m.put("samples", result.samples());
            m.put("targets", targets);
            m.put("mae", result.mae());
            m.put("rmse", result.rmse());
            m.put("r2", result.r2());
            out.println(new ObjectMapper().writeValueAsString(m));
        } else {
            out.println(String.format(Locale.ROOT, "data      %s: %,d samples, targets %s", dataset.name(),
                    result.samples(), String.join(", ", targets)));
            out.println(String.format(Locale.ROOT, "R²        %.4f · MAE %s · RMSE %s (in the targets' units)",
                    result.r2(), Numbers.sci(result.mae()), Numbers.sci(result.rmse())));
        }
        out.flush();
        return 0;
    }

    /** The data to evaluate on: a CSV file whole, read with the model's columns and classes; else a test part. */
    private Dataset dataset(ModelDescription description) throws java.io.IOException {
        String name = data == null ? description.data() : data;
        if (name.strip().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return CsvData.read(Path.of(name.strip()), labelColumn, description.classes(),
                    description.columns().isEmpty() ? null : description.columns());
        }
        if (labelColumn != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--label-column is for a CSV file given with "
                    + "--data");
        }
        if (data == null && (name.isEmpty() || name.toLowerCase(Locale.ROOT).endsWith(".csv"))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give the data to evaluate on with --data");
        }
        // a dataset known by name has its own classes: a model of other classes is refused by the check of them
        boolean named = name.strip().equalsIgnoreCase(Datasets.DIGITS)
                || name.strip().equalsIgnoreCase(Datasets.FASHION_MNIST);
        return Datasets.byName(name, named ? 0 : description.classes().size()).test();
    }

    private static void print(PrintWriter out, ClassificationReport r, Dataset data) {
        out.println(String.format(Locale.ROOT, "data      %s: %,d samples", data.name(), r.samples()));
        out.println(String.format(Locale.ROOT, "accuracy  %.4f · loss %.4f", r.accuracy(), r.loss()));
        out.println();
        int width = Math.max(5, r.classes().stream().mapToInt(String::length).max().orElse(5));
        out.println(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %7s", "class", "precision", "recall",
                "samples"));
        for (int c = 0; c < r.classes().size(); c++) {
            out.println(String.format(Locale.ROOT, "%-" + width + "s  %9s  %6s  %,7d", r.classes().get(c),
                    fraction(r.precision(c)), fraction(r.recall(c)), r.support(c)));
        }
        out.println();
        out.println("confusion matrix: a row per true class, a column per predicted class");
        int cell = Math.max(width, Long.toString(data.size()).length());
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", ""));
        for (int c = 0; c < r.classes().size(); c++) {
            head.append("  ").append(String.format(Locale.ROOT, "%" + cell + "s", shortName(r.classes().get(c), cell)));
        }
        out.println(head);
        for (int t = 0; t < r.classes().size(); t++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", r.classes().get(t)));
            for (long n : r.confusion()[t]) {
                row.append("  ").append(String.format(Locale.ROOT, "%" + cell + "d", n));
            }
            out.println(row);
        }
    }

    private static String shortName(String name, int width) {
        return name.length() <= width ? name : name.substring(0, width);
    }

    private static String fraction(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static Map<String, Object> json(ClassificationReport r, Dataset data) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("data", data.name());
        out.put("samples", r.samples());
        out.put("loss", r.loss());
        out.put("accuracy", r.accuracy());
        out.put("classes", r.classes());
        List<Map<String, Object>> perClass = new ArrayList<>();
        for (int c = 0; c < r.classes().size(); c++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", r.classes().get(c));
            m.put("precision", Double.isNaN(r.precision(c)) ? null : r.precision(c));
            m.put("recall", Double.isNaN(r.recall(c)) ? null : r.recall(c));
            m.put("samples", r.support(c));
            perClass.add(m);
        }
        out.put("per_class", perClass);
        out.put("confusion", r.confusion());
        return out;
    }
}
