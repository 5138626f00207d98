package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.GradflowExperiment.Outcome;
import dev.nabla.data.Dataset;
import dev.nabla.data.Datasets;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.MlpSpec;
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
import picocli.CommandLine.Option;

/**
 * {@code nabla gradflow}: the vanishing and exploding gradient experiment. Builds a deep MLP, trains it for a few
 * steps on real data, and shows each hidden layer's weight-gradient norm, the sigmoid bound and the diagnosis; with
 * {@code --compare}, several configurations on the same data and seed, side by side.
 */
@Command(name = "gradflow", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show how the gradient flows through a deep network: the weight-gradient norm of every hidden "
                + "layer, why it vanishes or explodes, and what fixes it.", "",
            "Example: nabla gradflow --compare \"sigmoid;relu,init=he;sigmoid,batchnorm\""})
public class GradflowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "digits|fashion-mnist|DIR", defaultValue = "digits",
            description = "Training data, as for nabla train. Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--depth", paramLabel = "N", defaultValue = "20",
            description = "Hidden layers. Default: ${DEFAULT-VALUE}.")
    int depth;

    @Option(names = "--width", paramLabel = "N", defaultValue = "256",
            description = "Units per hidden layer. Default: ${DEFAULT-VALUE}.")
    int width;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "sigmoid",
            description = "relu, sigmoid, tanh or leaky_relu. Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "default",
            description = "default (PyTorch's, U(±1/√fan_in)), xavier, he, or normal (N(0, 1) weights, zero bias: "
                    + "gradients explode). Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--batchnorm", description = "BatchNorm1d between each hidden layer and its activation.")
    boolean batchNorm;

    @Option(names = "--clip-norm", paramLabel = "X",
            description = "Clip the global gradient norm to X after each backward pass.")
    Double clipNorm;

    @Option(names = "--compare", paramLabel = "CONFIGS",
            description = "Several configurations side by side, separated by ';': an activation then options "
                    + "init=NAME, batchnorm, clip-norm=X, e.g. \"sigmoid;relu,init=he;sigmoid,batchnorm\". "
                    + "--activation, --init, --batchnorm and --clip-norm are then the defaults of each.")
    String compare;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "5",
            description = "SGD steps to train (the table shows the first; the diagnosis uses all). Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.01",
            description = "SGD learning rate. Default: ${DEFAULT-VALUE}.")
    double lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "SGD momentum. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128",
            description = "Samples per step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the weights and of the batch order, the same for every configuration. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Threads for the matrix kernels. Default: the number of cores.")
    Integer threads;

    @Option(names = "--json", description = "Print one JSON object instead of the tables.")
    boolean json;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write report.html (charts, offline), metrics.csv and history.json into DIR; with --compare, "
                    + "one sub-directory per configuration.")
    Path report;

    @Override
    public Integer call() throws Exception {
        validate();
        Parallel.setThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        GradflowConfig defaults = new GradflowConfig(activation, init, batchNorm, clipNorm);
        List<GradflowConfig> configs = compare != null ? GradflowConfig.parseList(compare, defaults)
                : List.of(defaults);
        for (GradflowConfig c : configs) {
            if (c.batchNorm() && (batchSize == 1)) {
                throw bad("batchnorm needs at least two samples per batch: raise --batch-size");
            }
        }
        Dataset.Split split = Datasets.byName(data);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = json ? spec.commandLine().getErr() : out;
        GradflowExperiment experiment = new GradflowExperiment(depth, width, steps, batchSize, lr, momentum, seed);
        log.println(String.format(Locale.ROOT, "data   %s: %,d train samples, %d features, %d classes", data,
                split.train().size(), split.train().features(), split.train().numClasses()));
        log.println(String.format(Locale.ROOT, "model  %d hidden layers of %d · SGD lr %s momentum %s · batch %d · %d steps · seed %d",
                depth, width, Numbers.plain(lr), Numbers.plain(momentum), batchSize, steps, seed));
        log.flush();
        List<Outcome> outcomes = new ArrayList<>();
        for (GradflowConfig c : configs) {
            outcomes.add(experiment.run(c, split));
        }
        if (report != null) {
            writeReports(outcomes, split);
        }
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(json(outcomes)));
        } else {
            out.println();
            out.print(outcomes.size() == 1 ? GradflowTable.single(outcomes.get(0), depth)
                    : GradflowTable.compare(outcomes, depth));
            if (report != null) {
                out.println("\nreport    " + report.resolve(outcomes.size() == 1 ? "report.html" : "*/report.html"));
            }
        }
        out.flush();
        return 0;
    }

    private void writeReports(List<Outcome> outcomes, Dataset.Split split) throws java.io.IOException {
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            Path dir = outcomes.size() == 1 ? report
                    : report.resolve((i + 1) + "-" + o.config().label().replaceAll("[^A-Za-z0-9.=-]+", "_"));
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("command", "nabla gradflow");
            config.put("configuration", o.config().label());
            config.put("data", data);
            config.put("model", o.spec().toString());
            config.put("optimizer", "sgd lr=" + Numbers.plain(lr) + " momentum=" + Numbers.plain(momentum));
            config.put("clip_norm", o.config().clipNorm() == null ? "none" : Numbers.plain(o.config().clipNorm()));
            config.put("batch_size", batchSize);
            config.put("steps", steps);
            config.put("threads", Parallel.threads());
            if (o.diverged() != null) {
                config.put("stopped", o.diverged());
            }
            dev.nabla.report.ReportFiles.write(dir, new dev.nabla.report.ReportData("Gradient flow: " + o.config().label(),
                    config, dev.nabla.report.ReportData.environment(Main.version(), seed), o.history(), o.records(),
                    o.diagnosis()));
        }
    }

    private Map<String, Object> json(List<Outcome> outcomes) {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("config", o.config().label());
            c.put("model", o.spec().toString());
            List<Map<String, Object>> layers = new ArrayList<>();
            Map<String, Double> norms = o.firstStepNorms();
            for (Parameter p : o.hiddenWeights()) {
                Map<String, Object> layer = new LinkedHashMap<>();
                layer.put("name", p.name());
                layer.put("grad_norm", finite(norms.getOrDefault(p.name(), Double.NaN)));
                layers.add(layer);
            }
            c.put("layers", layers);
            c.put("output_grad_norm", finite(norms.getOrDefault(o.outputWeight().name(), Double.NaN)));
            c.put("ratio_first_last", finite(o.ratioFirstLast()));
            Diagnosis.Finding n = o.diagnosis().network();
            c.put("verdict", n.verdict().label());
            c.put("evidence", n.evidence());
            c.put("reason", n.reason());
            c.put("fix", n.fix());
            c.put("steps_run", o.history() == null ? 0 : o.history().steps());
            NonFinite nf = o.records().nonFinite();
            c.put("non_finite", nf == null ? null : Map.of("step", nf.step(), "phase", nf.phase().name().toLowerCase(Locale.ROOT),
                    "where", nf.where(), "detail", nf.detail()));
            c.put("stopped", o.diverged());
            c.put("sigmoid_bound", Math.pow(0.25, depth - 1));
            configs.add(c);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("configs", configs);
        result.put("data", data);
        result.put("depth", depth);
        result.put("width", width);
        result.put("steps", steps);
        result.put("seed", seed);
        return result;
    }

    /** JSON has no NaN or ∞: those become null. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void validate() {
        if (!TrainCommand.ACTIVATIONS.contains(activation)) {
            throw bad("Invalid value for option '--activation': '" + activation + "' is not one of "
                    + String.join(", ", TrainCommand.ACTIVATIONS));
        }
        if (!MlpSpec.INITS.contains(init)) {
            throw bad("Invalid value for option '--init': '" + init + "' is not one of " + String.join(", ", MlpSpec.INITS));
        }
        if (depth < 2) {
            throw bad("--depth must be at least 2 (the table compares the first hidden layer with the last), got " + depth);
        }
        for (var e : Map.of("--width", width, "--steps", steps, "--batch-size", batchSize).entrySet()) {
            if (e.getValue() < 1) {
                throw bad("Invalid value for option '" + e.getKey() + "': must be at least 1, got " + e.getValue());
            }
        }
        if (threads != null && threads < 1) {
            throw bad("Invalid value for option '--threads': must be at least 1, got " + threads);
        }
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw bad("--lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw bad("--momentum must be in [0, 1), got " + momentum);
        }
        if (clipNorm != null && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
            throw bad("--clip-norm must be a positive number, got " + clipNorm);
        }
        if (compare != null) {
            try {
                GradflowConfig.parseList(compare, new GradflowConfig(activation, init, batchNorm, clipNorm));
            } catch (CommandLine.TypeConversionException e) {
                throw bad(e.getMessage());
            }
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
