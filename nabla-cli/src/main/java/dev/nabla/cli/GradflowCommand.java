package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.GradflowExperiment.Outcome;
import dev.nabla.Nabla;
import dev.nabla.cli.values.Converters;
import dev.nabla.data.Dataset;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.ModelSpec;
import dev.nabla.ops.Activation;
import dev.nabla.optim.OptimizerKind;
import dev.nabla.report.ReportData;
import dev.nabla.report.ReportFiles;
import dev.nabla.report.ReportJson;
import dev.nabla.tensor.Numbers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code nabla gradflow}: the vanishing and exploding gradient experiment. Builds a deep MLP (or, with
 * {@code --model cnn}, a CNN), trains it for a few steps on real data, and shows each hidden layer's weight-gradient
 * norm, the sigmoid bound (a CNN: its dead ReLU channels and BatchNorm2d running statistics) and the diagnosis; with
 * {@code --compare}, several configurations on the same data and seed, side by side. Recurrent configurations
 * ({@code rnn}, {@code lstm}, {@code gru}) show the same story through time: the gradient that reaches each time
 * step of the input.
 */
@Command(name = "gradflow", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show how the gradient flows through a deep network: the weight-gradient norm of every hidden "
                + "layer, why it vanishes or explodes, and what fixes it; for a recurrent network, the gradient "
                + "reaching every time step of its input; for a cnn, its convolutions' gradients, dead ReLU channels "
                + "and BatchNorm2d running statistics.", "",
            "Example: nabla gradflow --compare \"sigmoid;relu,init=he;sigmoid,batchnorm\"",
            "         nabla gradflow --model cnn --compare \"relu;relu,batchnorm\"",
            "         nabla gradflow --data fashion-mnist --compare \"rnn;lstm;lstm,forget-bias=1;gru\""})
public class GradflowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--depth", paramLabel = "N", converter = Converters.WholeNumber.class,
            description = "Hidden layers, at least 2. Default: ${DEFAULT-VALUE}.")
    int depth = GradflowExperiment.DEFAULT_DEPTH;

    @Option(names = "--width", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Units per hidden layer, or the hidden size of a recurrent layer. Default: "
                    + GradflowExperiment.DEFAULT_WIDTH + " (recurrent: " + GradflowTimeExperiment.DEFAULT_WIDTH + ").")
    Integer width;

    @Mixin
    ModelOptions model = ModelOptions.withDefaultActivation(GradflowExperiment.DEFAULT_ACTIVATION);

    @Option(names = "--clip-norm", paramLabel = "X", converter = Converters.PositiveNumber.class,
            description = "Clip the global gradient norm to X after each backward pass.")
    Double clipNorm;

    @Option(names = "--compare", paramLabel = "CONFIGS",
            description = "Several configurations side by side, separated by ';': an activation then options "
                    + "init=NAME, batchnorm, clip-norm=X, e.g. \"sigmoid;relu,init=he;sigmoid,batchnorm\". "
                    + "--activation, --init, --batchnorm and --clip-norm are then the defaults of each. Or recurrent "
                    + "layers through time: rnn (rnn,relu), lstm (lstm,forget-bias=X), gru, e.g. "
                    + "\"rnn;lstm;lstm,forget-bias=1;gru\".")
    String compare;

    @Option(names = "--steps", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Optimisation steps to train (the table shows the first; the diagnosis uses all). Default: "
                    + "${DEFAULT-VALUE}.")
    int steps = GradflowExperiment.DEFAULT_STEPS;

    @Mixin
    OptimizerOptions optimizer = OptimizerOptions.withDefault(OptimizerKind.SGD);

    @Option(names = "--batch-size", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Samples per step. Default: " + GradflowExperiment.DEFAULT_BATCH_SIZE + " (recurrent: the "
                    + "first " + GradflowTimeExperiment.DEFAULT_BATCH_SIZE + " training samples).")
    Integer batchSize;

    @Mixin
    SeedOption seed;

    @Mixin
    ThreadsOption threads;

    @Mixin
    JsonOption json;

    @Mixin
    ReportOption report;

    @Override
    public Integer call() throws Exception {
        List<GradflowConfig> configs = configs();
        if (configs.get(0).isRecurrent()) {
            return throughTime(configs);
        }
        width = width != null ? width : GradflowExperiment.DEFAULT_WIDTH;
        batchSize = batchSize != null ? batchSize : GradflowExperiment.DEFAULT_BATCH_SIZE;
        threads.apply(spec.commandLine().getErr());
        report.prepare(configs.size() == 1 ? new String[0] : configs.stream().map(c -> reportDirectory(configs, c))
                .toArray(String[]::new));
        Dataset.Split split = data.load(seed.seed);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = json.json ? spec.commandLine().getErr() : out;
        CnnSpec cnn = model.kind == ModelOptions.Kind.CNN ? cnn(split.train()) : null;
        GradflowExperiment experiment = new GradflowExperiment(cnn != null ? GradflowExperiment.cnn(cnn)
                : GradflowExperiment.mlp(depth, width, split.train()), steps, batchSize, optimizer::create, seed.seed);
        for (GradflowConfig c : configs) {
            refuseIfTooLarge(experiment.network().apply(c), Math.min(batchSize, split.train().size()),
                    cnn != null ? "--channels" : "--width");
        }
        log.println(String.format(Locale.ROOT, "data   %s: %,d train samples, %d features, %d classes", data.data,
                split.train().size(), split.train().features(), split.train().numClasses()));
        log.println(String.format(Locale.ROOT, "model  %s · %s · batch %d · %d steps · seed %d", cnn != null
                ? "cnn " + cnn.height() + "×" + cnn.width() + ", blocks of " + cnn.channels() + " channels, hidden "
                + cnn.hidden() : depth + " hidden layers of " + width, optimizer, batchSize, steps, seed.seed));
        log.flush();
        List<Outcome> outcomes = new ArrayList<>();
        for (GradflowConfig c : configs) {
            outcomes.add(experiment.run(c, split));
        }
        int layers = outcomes.get(0).hiddenWeights().size();
        if (json.json) {
            out.println(new ObjectMapper().writeValueAsString(json(outcomes, layers)));
        } else {
            out.println();
            out.print(outcomes.size() == 1 ? GradflowTable.single(outcomes.get(0), layers)
                    : GradflowTable.compare(outcomes, layers));
        }
        out.flush();
        if (report.wanted()) {
            writeReports(configs, outcomes);
            log.println((json.json ? "" : "\n") + "report    " + report.report.resolve(outcomes.size() == 1
                    ? ReportFiles.HTML : "*/" + ReportFiles.HTML));
            log.flush();
        }
        return 0;
    }

    /** Refuses a network whose training on {@code batch} samples does not fit, before anything is allocated. */
    private void refuseIfTooLarge(ModelSpec network, int batch, String sizes) {
        String tooLarge = MemoryCheck.refusal(network, batch, 0, optimizer.stateSlots(), sizes);
        if (tooLarge != null) {
            throw bad(tooLarge);
        }
    }

    /**
     * The recurrent configurations: one forward and backward pass each on the same first batch, and the gradient
     * that reaches every time step of the input.
     */
    private int throughTime(List<GradflowConfig> configs) throws IOException {
        if (report.wanted()) {
            throw bad("--report draws a training run layer by layer; for the gradient through time use the table or "
                    + "--json, or train with a report: nabla train --model " + configs.get(0).recurrent() + " --report DIR");
        }
        threads.apply(spec.commandLine().getErr());
        Dataset.Split split = data.load(seed.seed);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = json.json ? spec.commandLine().getErr() : out;
        GradflowTimeExperiment experiment = new GradflowTimeExperiment(
                width != null ? width : GradflowTimeExperiment.DEFAULT_WIDTH,
                batchSize != null ? batchSize : GradflowTimeExperiment.DEFAULT_BATCH_SIZE, seed.seed);
        List<GradflowTimeExperiment.Outcome> outcomes = new ArrayList<>();
        try {
            for (GradflowConfig c : configs) {
                refuseIfTooLarge(experiment.spec(c, split.train()), Math.min(experiment.batchSize(),
                        split.train().size()), "--width");
            }
            for (GradflowConfig c : configs) {
                outcomes.add(experiment.run(c, split));
            }
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        var first = outcomes.get(0).spec();
        log.println(String.format(Locale.ROOT, "data   %s: each image read as %d steps of %d features, %d classes",
                data.data, first.steps(), first.features(), first.classes()));
        log.println(String.format(Locale.ROOT, "model  hidden %d · the first %d training samples · seed %d · one "
                + "backward pass at initialisation", experiment.width(), Math.min(experiment.batchSize(),
                split.train().size()), seed.seed));
        log.flush();
        if (json.json) {
            out.println(new ObjectMapper().writeValueAsString(timeJson(outcomes, experiment)));
        } else {
            out.println();
            out.print(outcomes.size() == 1 ? GradflowTimeTable.single(outcomes.get(0))
                    : GradflowTimeTable.compare(outcomes));
        }
        out.flush();
        return 0;
    }

    private Map<String, Object> timeJson(List<GradflowTimeExperiment.Outcome> outcomes,
                                         GradflowTimeExperiment experiment) {
        List<Map<String, Object>> configs = new ArrayList<>();
        for (GradflowTimeExperiment.Outcome o : outcomes) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("config", o.config().label());
            c.put("model", o.spec().toString());
            c.put("loss", ReportJson.finite(o.profile().loss()));
            c.put("steps", Arrays.stream(o.profile().steps()).mapToObj(ReportJson::finite).toList());
            c.put("ratio_first_last", ReportJson.finite(o.profile().ratioFirstLast()));
            c.put("verdict", o.finding().verdict().label());
            c.put("evidence", o.finding().evidence());
            c.put("reason", o.finding().reason());
            c.put("fix", o.finding().fix());
            configs.add(c);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("configs", configs);
        result.put("data", data.data);
        result.put("width", experiment.width());
        result.put("batch_size", experiment.batchSize());
        result.put("time_steps", outcomes.get(0).spec().steps());
        result.put("seed", seed.seed);
        return result;
    }

    /** The CNN of {@code --model cnn} on the data's images, with --channels and --width (its hidden Linear). */
    private CnnSpec cnn(Dataset train) {
        try {
            return (CnnSpec) model.spec(train.features(), widthGiven() ? List.of(width) : CnnSpec.DEFAULT_HIDDEN,
                    train.numClasses());
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    private boolean widthGiven() {
        return spec.commandLine().getParseResult().hasMatchedOption("--width");
    }

    /** The configurations to run, checked before anything else starts. */
    private List<GradflowConfig> configs() {
        optimizer.validate();
        if (depth < 2) {
            throw bad("--depth must be at least 2 (the table compares the first hidden layer with the last), got "
                    + depth);
        }
        if (model.kind == ModelOptions.Kind.CNN) {
            return cnnConfigs();
        }
        GradflowConfig defaults = new GradflowConfig(model.activation, model.init, model.batchNorm(), clipNorm);
        if (model.kind != ModelOptions.Kind.MLP) {
            try {
                model.checkCombination();
            } catch (IllegalArgumentException e) {
                throw bad(e.getMessage());
            }
            defaults = new GradflowConfig(model.recurrentActivation(),
                    Init.Scheme.DEFAULT, false, clipNorm, model.kind.recurrent,
                    model.forgetBias == null ? Double.NaN : model.forgetBias);
        }
        return parseConfigs(defaults);
    }

    /** {@code --compare}'s configurations with {@code defaults} for what they do not say, or the defaults alone. */
    private List<GradflowConfig> parseConfigs(GradflowConfig defaults) {
        List<GradflowConfig> configs;
        try {
            configs = compare != null ? GradflowConfig.parseList(compare, defaults) : List.of(defaults);
        } catch (CommandLine.TypeConversionException e) {
            throw bad("Invalid value for option '--compare': " + e.getMessage());
        }
        if (batchSize != null && batchSize == 1 && configs.stream().anyMatch(GradflowConfig::batchNorm)) {
            throw bad("batchnorm needs at least two samples per batch: raise --batch-size");
        }
        return configs;
    }

    /**
     * A CNN's configurations: ReLU blocks with PyTorch's initialisation, with or without BatchNorm2d and clipping,
     * e.g. {@code --compare "relu;relu,batchnorm"}.
     */
    private List<GradflowConfig> cnnConfigs() {
        if (spec.commandLine().getParseResult().hasMatchedOption("--depth")) {
            throw bad("--depth counts an mlp's hidden layers; a cnn has one block per --channels size: drop --depth");
        }
        try {
            model.checkCombination();
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        // BatchNorm2d is on by default for a cnn, but configurations compared say it where they want it
        boolean batchNorm = compare == null ? model.batchNorm() : Boolean.TRUE.equals(model.batchNormGiven);
        List<GradflowConfig> configs = parseConfigs(new GradflowConfig(Activation.RELU, Init.Scheme.DEFAULT, batchNorm,
                clipNorm));
        for (GradflowConfig c : configs) {
            if (c.isRecurrent() || c.activation() != Activation.RELU || c.init() != Init.Scheme.DEFAULT) {
                throw bad("--model cnn compares ReLU blocks with and without batchnorm or clip-norm, e.g. --compare "
                        + "\"relu;relu,batchnorm\"; got " + c.label());
            }
        }
        return configs;
    }

    /** The sub-directory of {@code --report} that holds the report of {@code c}, one of several. */
    private static String reportDirectory(List<GradflowConfig> configs, GradflowConfig c) {
        return (configs.indexOf(c) + 1) + "-" + c.label().replaceAll("[^A-Za-z0-9.=-]+", "_");
    }

    private void writeReports(List<GradflowConfig> configs, List<Outcome> outcomes) throws IOException {
        for (Outcome o : outcomes) {
            Path dir = outcomes.size() == 1 ? report.report
                    : report.report.resolve(reportDirectory(configs, o.config()));
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("command", "nabla gradflow");
            config.put("configuration", o.config().label());
            config.put("data", data.data);
            config.put("model", o.spec().toString());
            config.put("optimizer", optimizer.toString());
            config.put("clip_norm", o.config().clipNorm() == null ? "none" : Numbers.plain(o.config().clipNorm()));
            config.put("batch_size", batchSize);
            config.put("steps", steps);
            config.put("threads", Parallel.threads());
            if (o.diverged() != null) {
                config.put("stopped", o.diverged());
            }
            try {
                ReportFiles.write(dir, new ReportData("Gradient flow: " + o.config().label(), config,
                        ReportData.environment(Nabla.version(), seed.seed), o.history(), o.records(), o.diagnosis()));
            } catch (IOException e) {
                throw new IOException("the results are above, but the report could not be written to " + dir + ": "
                        + Failures.message(e), e);
            }
        }
    }

    private Map<String, Object> json(List<Outcome> outcomes, int hiddenLayers) {
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
                layer.put("grad_norm", ReportJson.finite(norms.getOrDefault(p.name(), Double.NaN)));
                layers.add(layer);
            }
            c.put("layers", layers);
            c.put("output_grad_norm", ReportJson.finite(norms.getOrDefault(o.outputWeight().name(), Double.NaN)));
            c.put("ratio_first_last", ReportJson.finite(o.ratioFirstLast()));
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
            c.put("sigmoid_bound", Math.pow(0.25, hiddenLayers - 1));
            if (o.spec() instanceof CnnSpec) {
                c.put("feature_maps", featureMapsJson(o));
            }
            configs.add(c);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("configs", configs);
        result.put("data", data.data);
        result.put("depth", hiddenLayers);
        result.put("width", model.kind == ModelOptions.Kind.CNN ? null : width);
        result.put("steps", steps);
        result.put("seed", seed.seed);
        return result;
    }

    /** A CNN's ReLUs (dead share, mean output) and BatchNorm2d running statistics at the last recorded step. */
    private static List<Map<String, Object>> featureMapsJson(Outcome o) {
        List<Map<String, Object>> modules = new ArrayList<>();
        for (var a : o.lastRelus()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("module", a.module());
            m.put("kind", "relu");
            m.put("dead_fraction", ReportJson.finite(a.deadFraction()));
            m.put("mean", ReportJson.finite(a.mean()));
            modules.add(m);
        }
        for (var b : o.lastBatchNorms()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("module", b.module());
            m.put("kind", "batchnorm");
            m.put("running_mean_average", ReportJson.finite(b.meanOfMean()));
            m.put("running_var_average", ReportJson.finite(b.meanOfVar()));
            modules.add(m);
        }
        return modules;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
