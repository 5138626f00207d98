package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.data.Dataset;
import dev.nabla.data.Datasets;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.GradientMonitor;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.kernel.Parallel;
import dev.nabla.kernel.Simd;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.AdamW;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import dev.nabla.report.ReportData;
import dev.nabla.report.ReportFiles;
import dev.nabla.train.Trainer;
import dev.nabla.train.TrainingDivergedException;
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

/** {@code nabla train}: trains a multi-layer perceptron classifier and reports its test accuracy. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a multi-layer perceptron classifier and report its accuracy on the test split.", "",
            "Example: nabla train --data fashion-mnist --hidden 256,128 --optimizer adam --lr 1e-3 --epochs 5"})
public class TrainCommand implements Callable<Integer> {
    static final List<String> ACTIVATIONS = List.of("relu", "sigmoid", "tanh", "leaky_relu");
    static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "digits|fashion-mnist|DIR", defaultValue = "digits",
            description = "Training data: 'digits' (8x8 handwritten digits, bundled), 'fashion-mnist' (from "
                    + "Debian's dataset-fashion-mnist package), or a directory holding the four MNIST-style IDX "
                    + "files (train-images-idx3-ubyte[.gz], ...). Default: ${DEFAULT-VALUE}.")
    String data;

    @Option(names = "--hidden", paramLabel = "SIZES", defaultValue = "256", converter = HiddenSizes.class,
            description = "Hidden layer sizes, comma-separated, e.g. 256,128. Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "Activation after each hidden layer: relu, sigmoid, tanh or leaky_relu. Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--batchnorm",
            description = "Put batch normalisation (BatchNorm1d) between each hidden layer and its activation: each "
                    + "feature is normalised with the batch mean and variance while training, and with running "
                    + "averages of them at test time.")
    boolean batchNorm;

    @Option(names = "--init", paramLabel = "SCHEME", defaultValue = "default",
            description = "Weight initialisation: default (PyTorch's, U(±1/√fan_in)), xavier (Glorot uniform), "
                    + "he (Kaiming normal, for ReLU) or normal (N(0, 1): too large, gradients explode). "
                    + "Default: ${DEFAULT-VALUE}.")
    String init;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "adam",
            description = "sgd, adam or adamw, with PyTorch's update rules. Default: ${DEFAULT-VALUE}.")
    String optimizer;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate. Default: 0.001 for adam and adamw, 0.01 for sgd.")
    Double lr;

    @Option(names = "--momentum", paramLabel = "M", defaultValue = "0.9",
            description = "Momentum, for sgd only. Default: ${DEFAULT-VALUE}.")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "WD",
            description = "Weight decay: L2 penalty for sgd and adam, decoupled for adamw. Default: 0, and 0.01 for adamw.")
    Double weightDecay;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64",
            description = "Samples per optimisation step. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
            description = "Passes over the training data. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed for initialisation and shuffling: the same seed and threads give the same run, "
                    + "bit for bit. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the matrix kernels. Default: the number of cores.")
    Integer threads;

    @Option(names = "--clip-norm", paramLabel = "X",
            description = "Clip the gradients after each backward pass so that their global L2 norm is at most X "
                    + "(the remedy for exploding gradients). Default: no clipping.")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "X",
            description = "Clamp every gradient entry to [-X, X] after each backward pass (before --clip-norm, "
                    + "when both are given). Default: no clipping.")
    Double clipValue;

    @Option(names = "--monitor-every", paramLabel = "N", defaultValue = "10",
            description = "Record gradient, update and activation statistics every N steps, for the live warnings "
                    + "and the report. Default: ${DEFAULT-VALUE}.")
    int monitorEvery;

    @Option(names = "--report", paramLabel = "DIR",
            description = "Write report.html (charts of loss, accuracy, gradients, updates, activations and the "
                    + "diagnosis; works offline), metrics.csv and history.json into DIR.")
    Path report;

    @Option(names = "--json", description = "End standard output with one line of JSON holding the results.")
    boolean json;

    /** What a finished run produced. */
    record Run(Sequential model, MlpSpec mlp, Dataset.Split split, Optimizer optimizer, History history, double seconds,
               Diagnosis diagnosis) {
        double samplesPerSecond() {
            return (double) split.train().size() * history.epochs().size() / history.trainingSeconds();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Run run = train(json ? spec.commandLine().getErr() : out);
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(resultJson(run)));
        }
        out.flush();
        return 0;
    }

    /** Validates the flags, trains, and logs progress and the result to {@code log}. */
    Run train(PrintWriter log) throws java.io.IOException {
        validate();
        Parallel.setThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        Dataset.Split split = Datasets.byName(data);
        if (batchNorm && (batchSize == 1 || split.train().size() % batchSize == 1)) {
            throw bad("--batchnorm needs at least two samples in every training batch, but --batch-size " + batchSize
                    + " leaves " + (batchSize == 1 ? "every batch" : "the last batch of the " + split.train().size()
                    + " training samples") + " with one sample, whose variance is undefined: choose another batch size");
        }
        MlpSpec mlp = new MlpSpec(split.train().features(), hidden, split.train().numClasses(), activation, init,
                batchNorm);
        Sequential model = mlp.build(new Rng(seed));
        Optimizer opt = optimizer(model);
        log.println(String.format(Locale.ROOT, "data   %s: %,d train / %,d test samples, %d features, %d classes",
                data, split.train().size(), split.test().size(), split.train().features(), split.train().numClasses()));
        log.println(String.format(Locale.ROOT, "model  %s · %,d parameters", mlp, model.parameterCount()));
        log.println(String.format(Locale.ROOT, "optim  %s lr=%s%s · batch %d · %d epochs · seed %d · %d threads (%s)",
                optimizer, opt.lr(), weightDecayText(), batchSize, epochs, seed, Parallel.threads(), Simd.describe()));
        log.flush();

        long start = System.nanoTime();
        ProgressDisplay display = new ProgressDisplay(log, !json && ProgressDisplay.isTerminal());
        History history;
        Diagnosis diagnosis;
        try (GradientMonitor monitor = GradientMonitor.attach(model, monitorEvery)) {
            Trainer.Builder trainer = Trainer.builder(model, opt).epochs(epochs).batchSize(batchSize).seed(seed)
                    .listener(display).listener(monitor).listener(new LiveWarnings(monitor, display::message));
            if (clipValue != null) {
                trainer.clipGradValue(clipValue);
            }
            if (clipNorm != null) {
                trainer.clipGradNorm(clipNorm);
            }
            try {
                history = trainer.build().fit(split.train(), split.test());
            } catch (TrainingDivergedException e) {
                Diagnosis at = Diagnosis.of(monitor.records());
                if (report != null) {
                    writeReport(mlp, e.history(), monitor.records(), at, e.getMessage());
                }
                NonFinite nf = monitor.records().nonFinite();
                throw nf == null ? e : new IllegalStateException(e.getMessage() + " The first non-finite value: step "
                        + nf.step() + ", " + nf.place() + " (" + nf.detail() + ")." + (report != null
                        ? " Report: " + report.resolve(ReportFiles.HTML) : ""), e);
            }
            diagnosis = Diagnosis.of(monitor.records());
            if (report != null) {
                writeReport(mlp, history, monitor.records(), diagnosis, null);
            }
        }
        Run run = new Run(model, mlp, split, opt, history, (System.nanoTime() - start) / 1e9, diagnosis);
        EpochMetrics last = history.last();
        log.println(String.format(Locale.ROOT, "done   test accuracy %.4f · test loss %.4f · %.1f s · %,.0f samples/s",
                last.testAccuracy(), last.testLoss(), run.seconds(), run.samplesPerSecond()));
        log.println("gradients  " + diagnosis.verdict().label() + (diagnosis.network().isProblem()
                ? ": " + diagnosis.network().evidence() : ""));
        if (report != null) {
            log.println("report " + report.resolve(ReportFiles.HTML));
        }
        log.flush();
        return run;
    }

    private void writeReport(MlpSpec mlp, History history, MonitorRecords records, Diagnosis diagnosis, String stopped)
            throws java.io.IOException {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "nabla train");
        config.put("data", data);
        config.put("model", mlp.toString());
        config.put("optimizer", optimizer + " lr=" + optimizerLr() + weightDecayText()
                + (optimizer.equals("sgd") ? " momentum=" + momentum : ""));
        config.put("batch_size", batchSize);
        config.put("epochs", epochs);
        config.put("clip_norm", clipNorm == null ? "none" : clipNorm);
        config.put("clip_value", clipValue == null ? "none" : clipValue);
        config.put("monitor_every", monitorEvery);
        if (stopped != null) {
            config.put("stopped", stopped);
        }
        ReportFiles.write(report, new ReportData("Training report: " + mlp, config,
                ReportData.environment(Main.version(), seed), history, records, diagnosis));
    }

    private Map<String, Object> resultJson(Run run) {
        EpochMetrics last = run.history().last();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("test_accuracy", last.testAccuracy());
        result.put("test_loss", last.testLoss());
        result.put("train_loss", last.trainLoss());
        result.put("train_accuracy", last.trainAccuracy());
        result.put("epochs", epochs);
        result.put("seconds", run.seconds());
        result.put("samples_per_second", run.samplesPerSecond());
        result.put("data", data);
        result.put("model", run.mlp().toString());
        result.put("batchnorm", batchNorm);
        result.put("parameters", run.model().parameterCount());
        result.put("optimizer", optimizer);
        result.put("lr", run.optimizer().lr());
        result.put("batch_size", batchSize);
        result.put("seed", seed);
        result.put("threads", Parallel.threads());
        result.put("clip_norm", clipNorm);
        result.put("clip_value", clipValue);
        result.put("gradient_verdict", run.diagnosis().verdict().label());
        List<Map<String, Object>> perEpoch = new ArrayList<>();
        for (EpochMetrics e : run.history().epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", e.epoch());
            m.put("train_loss", e.trainLoss());
            m.put("train_accuracy", e.trainAccuracy());
            m.put("test_loss", e.testLoss());
            m.put("test_accuracy", e.testAccuracy());
            m.put("seconds", e.seconds());
            perEpoch.add(m);
        }
        result.put("history", perEpoch);
        return result;
    }

    private void validate() {
        choice("--activation", activation, ACTIVATIONS);
        choice("--optimizer", optimizer, OPTIMIZERS);
        choice("--init", init, MlpSpec.INITS);
        positive("--batch-size", batchSize);
        positive("--epochs", epochs);
        positive("--monitor-every", monitorEvery);
        if (clipNorm != null && !(clipNorm > 0 && Double.isFinite(clipNorm))) {
            throw bad("--clip-norm must be a positive number, got " + clipNorm);
        }
        if (clipValue != null && !(clipValue > 0 && Double.isFinite(clipValue))) {
            throw bad("--clip-value must be a positive number, got " + clipValue);
        }
        if (threads != null) {
            positive("--threads", threads);
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw bad("--lr must be a positive number, got " + lr);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw bad("--momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw bad("--weight-decay must be zero or positive, got " + weightDecay);
        }
    }

    private void choice(String option, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw bad("Invalid value for option '" + option + "': '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    private void positive(String option, int value) {
        if (value < 1) {
            throw bad("Invalid value for option '" + option + "': must be at least 1, got " + value);
        }
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private double optimizerLr() {
        return lr != null ? lr : optimizer.equals("sgd") ? 0.01 : 0.001;
    }

    private Optimizer optimizer(Sequential model) {
        double rate = optimizerLr();
        return switch (optimizer) {
            case "sgd" -> new SGD(model.parameters(), rate,
                    SGD.Options.defaults().withMomentum(momentum).withWeightDecay(weightDecay != null ? weightDecay : 0));
            case "adamw" -> new AdamW(model.parameters(), rate, weightDecay != null
                    ? AdamW.defaultOptions().withWeightDecay(weightDecay) : AdamW.defaultOptions());
            default -> new Adam(model.parameters(), rate,
                    Adam.Options.defaults().withWeightDecay(weightDecay != null ? weightDecay : 0));
        };
    }

    private String weightDecayText() {
        return weightDecay != null && weightDecay != 0 ? " weight_decay=" + weightDecay : "";
    }
}
