package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.Nabla;
import dev.nabla.cli.values.Converters;
import dev.nabla.data.Dataset;
import dev.nabla.data.Standardization;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.GradientMonitor;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.io.Checkpoint;
import dev.nabla.io.ModelDescription;
import dev.nabla.kernel.Parallel;
import dev.nabla.kernel.Simd;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.report.FeatureMapView;
import dev.nabla.report.ReportData;
import dev.nabla.report.ReportFiles;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Numbers;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.Evaluation;
import dev.nabla.train.History;
import dev.nabla.train.Trainer;
import dev.nabla.train.TrainingDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla train}: trains a classifier — a multi-layer perceptron, or a recurrent network reading each image as
 * a sequence of its rows — and reports its test accuracy; or, with {@code --task regression}, a model of a CSV file's
 * numeric target columns, with its test errors in the targets' units.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a classifier (a multi-layer perceptron, or an RNN, LSTM or GRU over the rows of each "
                + "image) and report its accuracy on the test split; or, with --task regression, a model of a CSV "
                + "file's numeric columns, scored by MAE, RMSE and R².", "",
            "Example: nabla train --data fashion-mnist --hidden 256,128 --optimizer adam --lr 1e-3 --epochs 5",
            "         nabla train --data fashion-mnist --model lstm --hidden 128 --optimizer adam --lr 1e-3",
            "         nabla train --data houses.csv --task regression --label-column price --checkpoint runs/houses"})
public class TrainCommand implements Callable<Integer> {
    /** What {@link #train} prints when the run is stopped from outside: nothing of it is kept. */
    static final String NOTHING_SAVED = "nothing was saved.";
    /** The hidden layers when none are given: one of 256 units. */
    static final String DEFAULT_HIDDEN = "256";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    DataOptions data;

    @Option(names = "--hidden", paramLabel = "SIZES", converter = HiddenSizes.class, defaultValue = DEFAULT_HIDDEN,
            description = "Hidden layer sizes, comma-separated, e.g. 256,128 (an mlp's Linear layers, or the hidden "
                    + "sizes of stacked recurrent layers); empty for none (an mlp only). Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Mixin
    ModelOptions model;

    @Mixin
    StandardizeOption standardize;

    @Mixin
    OptimizerOptions optimizer;

    @Option(names = "--batch-size", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Samples per optimisation step. Default: ${DEFAULT-VALUE} (a cnn: "
                    + CnnSpec.DEFAULT_BATCH_SIZE + ", the batch of its PyTorch twin).")
    int batchSize = Trainer.DEFAULT_BATCH_SIZE;

    @Option(names = "--epochs", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Passes over the training data. Default: ${DEFAULT-VALUE}.")
    int epochs = Trainer.DEFAULT_EPOCHS;

    @Mixin
    SeedOption seed;

    @Mixin
    ShardsOption shards;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--clip-norm", paramLabel = "X", converter = Converters.PositiveNumber.class,
            description = "Clip the gradients after each backward pass so that their global L2 norm is at most X "
                    + "(the remedy for exploding gradients). Default: no clipping.")
    Double clipNorm;

    @Option(names = "--clip-value", paramLabel = "X", converter = Converters.PositiveNumber.class,
            description = "Clamp every gradient entry to [-X, X] after each backward pass (before --clip-norm, "
                    + "when both are given). Default: no clipping.")
    Double clipValue;

    @Option(names = "--monitor-every", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Record gradient, update and activation statistics every N steps, for the live warnings "
                    + "and the report. Default: ${DEFAULT-VALUE}.")
    int monitorEvery = GradientMonitor.DEFAULT_EVERY;

    @Option(names = "--loss", paramLabel = "NAME", converter = LossChoice.Converter.class,
            description = "The loss to minimise: cross_entropy for classification (the default); for --task "
                    + "regression mse (the default), l1, huber[:DELTA] or smooth_l1[:BETA] (DELTA and BETA default 1), "
                    + "PyTorch's MSELoss, L1Loss, HuberLoss and SmoothL1Loss on the standardized targets.")
    LossChoice loss;

    @Option(names = "--accumulate", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Sum the gradients of N batches, each loss divided by N, before each optimizer step: the "
                    + "step of an N times larger batch in the memory of one. Default: ${DEFAULT-VALUE}.")
    int accumulate = 1;

    @Option(names = "--lr-schedule", paramLabel = "SCHEDULE", converter = LrSchedule.Converter.class,
            description = "Change the learning rate as training goes: step:N[,G] (times G, default 0.1, every N "
                    + "epochs), exp:G (times G every epoch), cosine[:T] (half a cosine to 0 over T epochs, default all), "
                    + "plateau[:P[,F]] (times F, default 0.5, when the validation loss has not improved for more than "
                    + "P epochs, default 5), onecycle (the 1cycle policy per step, peaking at --lr), warmup:E[,cosine] "
                    + "(a linear warm-up per step over E epochs, then constant or a cosine). PyTorch's formulas. "
                    + "Default: a constant rate.")
    LrSchedule lrSchedule;

    @Option(names = "--val-fraction", paramLabel = "F", converter = Converters.Fraction.class,
            description = "Hold out the part F of the training data, chosen with --seed, as a validation set: its "
                    + "loss and accuracy are reported every epoch, and the test set is evaluated once, at the end.")
    Double valFraction;

    @Option(names = "--val-data", paramLabel = "FILE.csv",
            description = "A validation set as a CSV file with the training file's columns (for CSV --data).")
    Path valData;

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", converter = Converters.PositiveInt.class,
            description = "Stop when the validation loss has not improved for PATIENCE epochs, and end with the "
                    + "weights of the best epoch. Needs --val-fraction or --val-data.")
    Integer earlyStopping;

    @Option(names = "--min-delta", paramLabel = "X", converter = Converters.NonNegativeNumber.class,
            description = "With --early-stopping, the fall in validation loss that counts as an improvement. "
                    + "Default: ${DEFAULT-VALUE}.")
    double minDelta = 0;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "Save the run in DIR as it goes: DIR/model.safetensors, the model alone (nabla predict and "
                    + "nabla eval read it, and PyTorch's load_state_dict), and DIR/checkpoint.safetensors, all that "
                    + "--resume needs (optimizer, random generators, position in the data, history, settings). "
                    + "Written at the end of every epoch, every --checkpoint-every steps and at the end, each file "
                    + "replaced atomically: a crash costs at most the steps since the last checkpoint.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "With --checkpoint, also save every N steps within an epoch. Default: once per epoch.")
    Integer checkpointEvery;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run saved in DIR by --checkpoint, with its settings, from where it stopped: "
                    + "the final weights are bit for bit those of a run that never stopped. Only --json, --report, "
                    + "--monitor-every and --detect-anomaly may be given with it.")
    Path resume;

    @Mixin
    ReportOption report;

    @Mixin
    JsonOption json;

    @Mixin
    AnomalyOption anomaly;

    /** The options --resume takes from the command line; every other setting comes from the checkpoint. */
    private static final Set<String> RESUME_OPTIONS = Set.of("--resume", "--json", "--report", "--monitor-every",
            "--detect-anomaly");

    /** The checkpoint directory this run continues from (set when --resume re-reads the saved settings). */
    private Path resumeFrom;

    /** What a finished run produced. */
    record Run(Module model, ModelSpec spec, Dataset.Split split, Optimizer optimizer, History history, double seconds,
               Diagnosis diagnosis, MonitorRecords records) {
        double samplesPerSecond() {
            return (double) split.train().size() * history.epochs().size() / history.trainingSeconds();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return resumed().call();
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter log = json.json ? spec.commandLine().getErr() : out;
        Run run;
        try (var scope = anomaly.scope()) {
            run = train(log);
        }
        if (json.json) {
            out.println(new ObjectMapper().writeValueAsString(resultJson(run)));
        }
        out.flush();
        Path html = writeReport(run.spec(), run.history(), run.records(), run.diagnosis(), null, run.model(),
                run.split().test());
        if (html != null) {
            log.println("report " + html);
            log.flush();
        }
        return 0;
    }

    /**
     * The command as the checkpoint in {@code --resume}'s directory was started, with this command line's
     * {@code --json}, {@code --report} and {@code --monitor-every}, set to continue from it.
     */
    private TrainCommand resumed() throws IOException {
        List<String> others = spec.commandLine().getParseResult().matchedOptions().stream()
                .map(OptionSpec::longestName).filter(name -> !RESUME_OPTIONS.contains(name)).toList();
        if (!others.isEmpty()) {
            throw bad("--resume continues the run with the settings it was started with; drop "
                    + String.join(", ", others) + " (only --json, --report, --monitor-every and --detect-anomaly may change)");
        }
        Map<String, String> config = Checkpoint.config(resume);
        List<String> args = new ArrayList<>(List.of(new ObjectMapper().readValue(config.get("args"), String[].class)));
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (!option.longestName().equals("--resume")) {
                args.add(option.longestName());
                args.addAll(option.arity().max() == 0 ? List.of() : option.stringValues());
            }
        }
        TrainCommand command = new TrainCommand();
        CommandLine line = Main.commandLine(command);
        line.setOut(spec.commandLine().getOut());
        line.setErr(spec.commandLine().getErr());
        line.parseArgs(args.toArray(String[]::new));
        command.resumeFrom = resume;
        command.checkpoint = resume;
        return command;
    }

    /**
     * The settings of this run as a command line to save with its checkpoints: the options given (the checkpoint
     * directory made absolute) and the thread count, without --json, --report and --monitor-every, which a resumed
     * run may change.
     */
    private String savedArgs() throws IOException {
        List<String> args = new ArrayList<>();
        for (OptionSpec option : spec.commandLine().getParseResult().matchedOptions()) {
            if (RESUME_OPTIONS.contains(option.longestName()) || option.longestName().equals("--threads")) {
                continue;
            }
            args.add(option.longestName());
            if (option.longestName().equals("--checkpoint")) {
                args.add(checkpoint.toAbsolutePath().toString());
            } else if (option.arity().max() > 0) {
                args.addAll(option.stringValues());
            }
        }
        args.add("--threads");
        args.add(Integer.toString(Parallel.threads()));
        return new ObjectMapper().writeValueAsString(args);
    }

    /**
     * Validates the flags, trains, and logs progress and the result to {@code log}. The report, if any, is only
     * prepared (its directory proved writable): {@link #call} writes it once the results are out.
     */
    Run train(PrintWriter log) throws IOException {
        optimizer.validate();
        PrintWriter err = spec.commandLine().getErr();
        threads.apply(err);
        report.prepare();
        if (checkpoint != null) {
            OutputDirectory.prove("--checkpoint " + checkpoint, checkpoint, "the run is saved as two files");
        }
        if (checkpointEvery != null && checkpoint == null) {
            throw bad("--checkpoint-every " + checkpointEvery + " needs --checkpoint DIR: the directory to save to");
        }
        Dataset.Split split = data.load(seed.seed);
        Dataset validation = null;
        if (valFraction != null && valData != null) {
            throw bad("--val-fraction and --val-data both give a validation set: give one");
        }
        if (earlyStopping != null && valFraction == null && valData == null) {
            throw bad("--early-stopping watches the validation loss: add --val-fraction F (e.g. 0.1) or --val-data");
        }
        if (valFraction != null) {
            Dataset.Split held = split.train().split(1 - valFraction, seed.seed);
            if (held.train().size() == 0 || held.test().size() == 0) {
                throw bad("--val-fraction " + valFraction + " of the " + split.train().size() + " training samples "
                        + "leaves " + (held.test().size() == 0 ? "no validation sample" : "nothing to train on"));
            }
            split = new Dataset.Split(held.train(), split.test());
            validation = held.test();
        } else if (valData != null) {
            if (!data.isCsv()) {
                throw bad("--val-data is for CSV --data; use --val-fraction for " + data.data);
            }
            validation = data.readLike(valData, split.train());
        }
        ModelDescription.Regression regression = null;
        if (data.regression()) {
            Standardization features = Standardization.ofFeatures(split.train());
            Standardization targets = Standardization.ofTargets(split.train());
            regression = new ModelDescription.Regression(split.train().targetNames(), features, targets);
            split = new Dataset.Split(split.train().standardized(features, targets),
                    split.test().standardized(features, targets));
            validation = validation == null ? null : validation.standardized(features, targets);
        }
        LossChoice loss = this.loss != null ? this.loss : data.regression() ? LossChoice.MSE : LossChoice.CROSS_ENTROPY;
        if (loss.regression() != data.regression()) {
            throw bad("--loss " + loss.text() + " is a " + (loss.regression() ? "regression" : "classification")
                    + " loss, and the task is " + data.task + (data.regression() ? ": use mse, l1, huber or smooth_l1"
                    : ": drop --loss, or add --task regression for numeric targets"));
        }
        int trainSize = split.train().size();
        if (model.kind == ModelOptions.Kind.CNN
                && !spec.commandLine().getParseResult().hasMatchedOption("--batch-size")) {
            batchSize = CnnSpec.DEFAULT_BATCH_SIZE;
        }
        if (model.batchNorm() && (batchSize == 1 || trainSize % batchSize == 1)) {
            throw bad("--batchnorm needs at least two samples in every training batch, but --batch-size " + batchSize
                    + " leaves " + (batchSize == 1 ? "every batch" : "the last batch of the " + trainSize
                    + " training samples") + " with one sample, whose variance is undefined: choose another batch size");
        }
        String unsharded = shards.refusal(batchSize, accumulate, trainSize, model.batchNorm());
        if (unsharded != null) {
            throw bad(unsharded);
        }
        ModelSpec spec;
        try {
            spec = standardize.applyTo(model.spec(split.train().features(), hidden, split.train().outputs()),
                    split.train(), resumeFrom);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
        String tooLarge = MemoryCheck.refusal(spec, Math.min(batchSize, trainSize),
                Math.min(spec.evalBatchSize(), split.test().size()), optimizer.stateSlots(),
                model.kind == ModelOptions.Kind.CNN ? "--channels and --hidden" : "--hidden");
        if (tooLarge != null) {
            throw bad(tooLarge);
        }
        Module net = spec.build(new Rng(seed.seed));
        Optimizer opt = optimizer.create(net.parameters());
        int batches = shards.batches(trainSize, batchSize);
        batches = (batches + accumulate - 1) / accumulate;   // the optimizer steps per epoch, for per-step schedules
        LrScheduler schedule;
        try {
            schedule = lrSchedule == null ? null : lrSchedule.create(opt, epochs, batches);
        } catch (IllegalArgumentException e) {
            throw bad("--lr-schedule " + lrSchedule.text() + ": " + e.getMessage());
        }
        Checkpoint.Resumed resumed = resumeFrom == null ? null
                : Checkpoint.restore(resumeFrom, net, opt, schedule);
        if (resumed != null && resumed.position().finished()) {
            throw new IllegalStateException("the run in " + resumeFrom + " is complete: "
                    + (resumed.history().bestEpoch() > 0 && resumed.history().epochs().size() < epochs
                    ? "it stopped early" : "all " + epochs + " epochs were trained") + ", so there is nothing to "
                    + "resume; its model is " + resumeFrom.resolve(Checkpoint.MODEL));
        }
        log.println(String.format(Locale.ROOT, "data   %s: %,d train / %s%,d test samples, %d features, %s",
                data.data, trainSize, validation == null ? "" : String.format(Locale.ROOT, "%,d validation / ",
                        validation.size()), split.test().size(), split.train().features(), data.regression()
                        ? "regression on " + String.join(", ", split.train().targetNames()) + " (" + loss.text()
                        + " loss; features and targets standardized on the training part)"
                        : split.train().numClasses() + " classes"));
        log.println(String.format(Locale.ROOT, "model  %s · %,d parameters", spec, net.parameterCount()));
        log.println(String.format(Locale.ROOT, "optim  %s · batch %s · %d epochs · seed %d · %d threads (%s)",
                optimizer, batchText(trainSize), epochs, seed.seed, Parallel.threads(), Simd.describe()));
        if (schedule != null || earlyStopping != null) {
            log.println("schedule " + (schedule == null ? "constant rate" : lrSchedule.text() + " ("
                    + schedule.getClass().getSimpleName() + (lrSchedule.perStep() ? ", per step)" : ", per epoch)"))
                    + (earlyStopping == null ? "" : " · early stopping after " + earlyStopping + " epochs without "
                    + "improvement of the validation loss"));
        }
        if (resumed != null) {
            log.println(String.format(Locale.ROOT, "resume %s: epoch %d, after step %,d", resumeFrom,
                    resumed.position().epoch(), resumed.position().globalStep()));
        }
        log.flush();

        long start = System.nanoTime();
        ProgressDisplay display = new ProgressDisplay(log, !json.json && ProgressDisplay.isTerminal());
        Thread onInterrupt = new Thread(() -> display.interrupted(checkpoint == null ? NOTHING_SAVED
                : "the last checkpoint is in " + checkpoint + ": continue with nabla train --resume " + checkpoint));
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (GradientMonitor monitor = GradientMonitor.attach(net, monitorEvery)) {
            Trainer.Builder trainer = Trainer.builder(net, opt).epochs(epochs).batchSize(batchSize).seed(seed.seed)
                    .listener(display).listener(monitor).listener(new LiveWarnings(monitor, display::message));
            if (clipValue != null) {
                trainer.clipGradValue(clipValue);
            }
            if (clipNorm != null) {
                trainer.clipGradNorm(clipNorm);
            }
            if (schedule != null) {
                trainer.schedule(schedule, lrSchedule.perStep());
            }
            // at least the training batch: the evaluation then reuses the training step's arrays
            trainer.accumulate(accumulate).evalBatchSize(Math.max(spec.evalBatchSize(), batchSize));
            if (shards.count() > 0) {
                trainer.shards(shards.count()).syncBatchNorm(shards.syncBatchNorm());
            }
            if (loss.regression()) {
                trainer.regressionLoss(loss.regressionLoss());
            }
            if (validation != null) {
                trainer.validation(validation);
            }
            if (earlyStopping != null) {
                trainer.earlyStopping(earlyStopping, minDelta);
            }
            if (checkpoint != null) {
                ModelDescription description = new ModelDescription(spec, split.train().features(),
                        data.image(split.train()), split.train().featureNames(), split.train().classNames(), data.data,
                        regression);
                trainer.checkpoint(new Checkpoint(checkpoint, net, opt, schedule, description,
                        Map.of("args", savedArgs())),
                        checkpointEvery == null ? 0 : checkpointEvery);
            }
            if (resumed != null) {
                trainer.resumeFrom(resumed.position(), resumed.history(), resumed.best());
            }
            History history;
            try {
                history = fit(new TrainingRun(trainer.build(), net, spec, split,
                        loss.regression() ? loss.regressionLoss() : null, batchSize, seed.seed,
                        shards.count(), shards.syncBatchNorm(), optimizer.factory(), clipValue, clipNorm, log));
            } catch (TrainingDivergedException e) {
                throw diverged(e, spec, monitor.records());
            }
            Diagnosis diagnosis = Diagnosis.of(monitor.records());
            Run run = new Run(net, spec, split, opt, history, (System.nanoTime() - start) / 1e9, diagnosis,
                    monitor.records());
            if (history.bestEpoch() > 0) {
                log.println(String.format(Locale.ROOT, "best   epoch %d of %d (lowest validation loss %.4f)%s",
                        history.bestEpoch(), history.epochs().size(),
                        history.epochs().get(history.bestEpoch() - 1).valLoss(),
                        history.epochs().size() < epochs ? ": stopped early, its weights restored"
                                : ": its weights restored"));
            }
            Evaluation test = history.finalTest();
            log.println(data.regression() && test != null
                    ? String.format(Locale.ROOT, "done   test R² %.4f · MAE %s · RMSE %s · test loss %.4f · %.1f s · "
                    + "%,.0f samples/s", test.r2(), Numbers.sci(test.mae()), Numbers.sci(test.rmse()), test.loss(),
                    run.seconds(), run.samplesPerSecond())
                    : String.format(Locale.ROOT, "done   test accuracy %.4f · test loss %.4f · %.1f s · %,.0f "
                    + "samples/s", history.testAccuracy(), history.testLoss(), run.seconds(), run.samplesPerSecond()));
            log.println("gradients  " + diagnosis.verdict().label() + (diagnosis.network().isProblem()
                    ? ": " + diagnosis.network().evidence() : ""));
            log.flush();
            return run;
        } finally {
            removeHook(onInterrupt);
        }
    }

    /**
     * Trains the run's model on its training data: on this machine here; a command that trains elsewhere
     * (nabla-spark's) computes the shards of each batch there.
     */
    protected History fit(TrainingRun run) {
        return run.trainer().fit(run.split().train(), run.split().test());
    }

    /** The message of a run that diverged: where the first NaN or ∞ appeared, and the report written so far. */
    private IllegalStateException diverged(TrainingDivergedException e, ModelSpec spec, MonitorRecords records) {
        String reportText = "";
        if (report.wanted()) {
            try {
                reportText = " Report: " + writeReport(spec, e.history(), records, Diagnosis.of(records),
                        e.getMessage(), null, null);
            } catch (IOException failed) {
                reportText = " The report could not be written: " + Failures.message(failed);
            }
        }
        NonFinite nf = records.nonFinite();
        return new IllegalStateException(e.getMessage() + (nf == null ? "" : " The first non-finite value: step "
                + nf.step() + ", " + nf.place() + " (" + nf.detail() + ").") + reportText, e);
    }

    /** The batch size as it will be used, and why when it is not the one asked for. */
    private String batchText(int trainSize) {
        return batchSize <= trainSize ? Integer.toString(batchSize) : String.format(Locale.ROOT, "%,d (--batch-size "
                + "%,d is more than the %,d training samples: one batch per epoch)", trainSize, batchSize, trainSize);
    }

    /**
     * Writes the report if one was asked for; returns the page's path, or null.
     *
     * @param model the trained network, whose first convolution's filters a CNN's report draws; or null
     */
    Path writeReport(ModelSpec spec, History history, MonitorRecords records, Diagnosis diagnosis, String stopped,
                     Module model, Dataset test) throws IOException {
        if (!report.wanted()) {
            return null;
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "nabla train");
        config.put("data", data.data);
        config.put("model", spec.toString());
        config.put("optimizer", optimizer.toString());
        config.put("batch_size", batchSize);
        config.put("epochs", epochs);
        config.put("clip_norm", clipNorm == null ? "none" : clipNorm);
        config.put("clip_value", clipValue == null ? "none" : clipValue);
        config.put("monitor_every", monitorEvery);
        if (stopped != null) {
            config.put("stopped", stopped);
        }
        Path html;
        try {
            boolean cnn = spec instanceof CnnSpec && model != null;
            ReportData.Filters filters = cnn ? new ReportData.Filters("0", model.stateDict().get("0.weight")) : null;
            FeatureMapView maps = cnn ? FeatureMapView.of(model, (CnnSpec) spec, test) : null;
            html = ReportFiles.write(report.report, new ReportData("Training report: " + spec, config,
                    ReportData.environment(Nabla.version(), seed.seed), history, records, diagnosis, filters, maps));
        } catch (IOException e) {
            throw new IOException("the results are above, but the report could not be written to " + report.report
                    + ": " + Failures.message(e), e);
        }
        return html;
    }

    private Map<String, Object> resultJson(Run run) {
        EpochMetrics last = run.history().last();
        Map<String, Object> result = new LinkedHashMap<>();
        boolean regression = data.regression();
        Evaluation test = run.history().finalTest();
        if (regression) {
            result.put("test_mae", test == null ? null : test.mae());
            result.put("test_rmse", test == null ? null : test.rmse());
            result.put("test_r2", test == null ? null : test.r2());
        } else {
            result.put("test_accuracy", run.history().testAccuracy());
        }
        result.put("test_loss", run.history().testLoss());
        if (!Double.isNaN(last.valLoss())) {
            result.put("val_loss", last.valLoss());
            if (!regression) {
                result.put("val_accuracy", last.valAccuracy());
            }
        }
        if (earlyStopping != null) {
            result.put("best_epoch", run.history().bestEpoch());
            result.put("stopped_epoch", run.history().epochs().size());
        }
        result.put("lr_schedule", lrSchedule == null ? null : lrSchedule.text());
        result.put("accumulate", accumulate);
        result.put("shards", shards.count());
        result.put("task", data.task.toString());
        result.put("loss", loss != null ? loss.text() : regression ? LossChoice.MSE.text() : "cross_entropy");
        result.put("train_loss", last.trainLoss());
        if (!regression) {
            result.put("train_accuracy", last.trainAccuracy());
        }
        result.put("epochs", epochs);
        result.put("steps", run.history().steps());
        result.put("seconds", run.seconds());
        result.put("samples_per_second", run.samplesPerSecond());
        result.put("data", data.data);
        result.put("model", run.spec().toString());
        result.put("batchnorm", model.batchNorm());
        result.put("parameters", run.model().parameterCount());
        result.put("optimizer", optimizer.kind.toString());
        result.put("lr", run.optimizer().lr());
        result.put("batch_size", Math.min(batchSize, run.split().train().size()));
        result.put("seed", seed.seed);
        result.put("threads", Parallel.threads());
        result.put("clip_norm", clipNorm);
        result.put("clip_value", clipValue);
        result.put("gradient_verdict", run.diagnosis().verdict().label());
        result.put("history", EpochJson.of(run.history(), regression));
        return result;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is stopping: the hook has run or is running, and says where training stopped
        }
    }
}
