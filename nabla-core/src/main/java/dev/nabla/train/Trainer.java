package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.loss.ClassificationLoss;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.loss.MSELoss;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.Module;
import dev.nabla.optim.GradientClipping;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.StepMemory;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The training loop for classifiers and regression models: for each epoch, shuffled mini-batches through forward,
 * loss, backward and an optimizer step, then an evaluation on the test set; metrics go to a {@link History} and to
 * listeners. It is exactly the loop a user would write:
 *
 * <pre>{@code
 * for (Batch batch : loader) {
 *     Tensor loss = lossFn.apply(model.call(batch.x()), batch.y());
 *     optimizer.zeroGrad();
 *     loss.backward();
 *     // listeners' afterBackward, then clipping when configured
 *     optimizer.step();
 * }
 * }</pre>
 *
 * Order of use: {@code Trainer.builder(model, optimizer)}, options, {@code build()}, then {@link #fit}. The same
 * seed and thread count give a bit-identical sequence of losses. The data says the task: a classification
 * {@link Dataset} trains with the {@link Builder#loss classification loss} (cross-entropy by default) and is scored by
 * accuracy, a {@link Dataset#isRegression() regression} one with the {@link Builder#regressionLoss regression loss}
 * (mean squared error by default) and is scored by {@link RegressionMetrics} (MAE, RMSE, R²). A model output, loss or gradient that turns NaN
 * or infinite stops the run with a {@link TrainingDivergedException} naming the step (and, for a gradient, the
 * parameter where it appeared). The model is run with {@link Module#call}, so forward hooks see every batch. Each
 * step runs in a {@link dev.nabla.tensor.StepMemory} whose arrays the next step reuses: a layer's output that a hook
 * keeps is valid until its step ends (keep a copy to hold it longer). Data-parallel steps run the same loop.
 */
public final class Trainer {
    /** Default number of epochs. */
    public static final int DEFAULT_EPOCHS = 10;
    /** Default mini-batch size. */
    public static final int DEFAULT_BATCH_SIZE = 64;
    /** Default seed of the shuffling order. */
    public static final long DEFAULT_SEED = 0;
    /** Batch size used for evaluation unless {@link Builder#evalBatchSize} says otherwise: large, since no graph is kept. */
    public static final int EVAL_BATCH_SIZE = 1000;

    private final Module model;
    private final Optimizer optimizer;
    private final ClassificationLoss lossFn;
    /**
     * The arrays of a step's activations and gradients, reused by the next step, and by the evaluations between
     * epochs (whose batches, at the training batch size, take the same arrays).
     */
    private final StepMemory memory = new StepMemory();
    private final RegressionLoss regressionLoss;
    private final boolean lossGiven;
    private final boolean regressionLossGiven;
    private final int epochs;
    private final int batchSize;
    private final long seed;
    private final List<TrainingListener> listeners;
    private final Double clipNorm;
    private final Double clipValue;
    private final long maxSteps;
    private final Checkpointer checkpointer;
    private final long checkpointEvery;
    private final TrainingPosition resumeAt;
    private final History resumeHistory;
    private final LrScheduler schedule;
    private final boolean schedulePerStep;
    private final Dataset validation;
    private final int patience;
    private final double minDelta;
    private final int accumulate;
    private final int evalBatchSize;
    private final int shards;
    private final boolean syncBatchNorm;
    /** With early stopping, the weights of the best epoch so far (a copy), or null. */
    private Map<String, Tensor> best;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.lossFn = b.lossFn;
        this.regressionLoss = b.regressionLoss;
        this.lossGiven = b.lossGiven;
        this.regressionLossGiven = b.regressionLossGiven;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.listeners = List.copyOf(b.listeners);
        this.clipNorm = b.clipNorm;
        this.clipValue = b.clipValue;
        this.maxSteps = b.maxSteps;
        this.checkpointer = b.checkpointer;
        this.checkpointEvery = b.checkpointEvery;
        this.resumeAt = b.resumeAt;
        this.resumeHistory = b.resumeHistory;
        this.schedule = b.schedule;
        this.schedulePerStep = b.schedulePerStep;
        this.validation = b.validation;
        this.patience = b.patience;
        this.minDelta = b.minDelta;
        this.accumulate = b.accumulate;
        this.evalBatchSize = b.evalBatchSize;
        this.shards = b.shards;
        this.syncBatchNorm = b.syncBatchNorm;
        this.best = b.resumeBest;
    }

    /** Starts configuring a trainer for {@code model}, updated by {@code optimizer}. */
    public static Builder builder(Module model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /**
     * Trains for the configured epochs on {@code train}, evaluating on {@code test} after each epoch.
     *
     * @param test the held-out set, or {@code null} to skip evaluation (test figures are then NaN)
     * @throws IllegalArgumentException when the datasets are not of one task and output width, or the loss given is
     *                                  for the other task
     */
    public History fit(Dataset train, Dataset test) {
        boolean regression = checkTask(train.isRegression(), train.outputs(), train.toString(), test);
        BiFunction<Tensor, Batch, Tensor> loss = regression ? (out, b) -> regressionLoss.apply(out, b.target())
                : (out, b) -> lossFn.apply(out, b.y());
        if (shards > 0) {
            return fit(new LocalShards(model, loss, train, batchSize, shards, seed, syncBatchNorm), test);
        }
        DataLoader loader = new DataLoader(train, batchSize, DataLoader.shuffled(seed));
        return fit(new TrainingSteps.Batches(model, loss, loader), train.name(), train.size(), regression, test);
    }

    /**
     * Trains for the configured epochs on the data {@code workers} hold, as data-parallel steps whose shards they
     * compute, evaluating on {@code test} (or null) after each epoch. The trainer's batch size and seed are not used:
     * the workers cut and walk their data. Gradient accumulation is refused.
     */
    public History fit(ShardWorkers workers, Dataset test) {
        ShardedData data = workers.data();
        boolean regression = checkTask(data.regression(), data.outputs(), data.name(), test);
        return fit(new TrainingSteps.Shards(model, workers, accumulate), data.name(), data.samples(), regression, test);
    }

    /**
     * Trains by local SGD on the data {@code workers} hold: each of the loop's steps is a round in which every worker
     * takes its optimizer steps from the model's weights and the optimizer's state, and the model and the optimizer
     * are then set to their average ({@link LocalSgd}); clipping is the workers' (per local step), the loop's
     * listeners, schedules and checkpoints act on the rounds. Not equal to training on one machine.
     */
    public History fit(LocalSgdWorkers workers, Dataset test) {
        ShardedData data = workers.data();
        boolean regression = checkTask(data.regression(), data.outputs(), data.name(), test);
        return fit(new TrainingSteps.LocalRounds(model, optimizer, workers, accumulate), data.name(), data.samples(),
                regression, test);
    }

    private History fit(TrainingSteps source, String trainName, int trainSize, boolean regression, Dataset test) {
        int numBatches = source.batchesPerEpoch();
        TrainingPosition at = resumeAt == null ? TrainingPosition.START : resumeAt;
        History history = resumeHistory == null ? new History() : resumeHistory.copy();
        if (at.finished()) {
            return history;
        }
        if (at.batchesDone() > numBatches) {
            throw new IllegalArgumentException("the run to resume had done " + at.batchesDone() + " batches of epoch "
                    + at.epoch() + ", but an epoch of " + trainName + " in batches of " + batchSize + " has "
                    + numBatches + ": resume with the data and batch size it was trained with");
        }
        listeners.forEach(l -> l.onStart(epochs, numBatches, trainSize));
        long globalStep = at.globalStep();
        int bestEpoch = at.bestEpoch();
        double bestLoss = at.bestLoss();
        int badEpochs = at.badEpochs();
        boolean stopped = maxSteps > 0 && globalStep >= maxSteps;
        boolean stoppedEarly = false;
        Evaluation lastTest = null;   // the test set's evaluation after the last epoch, without a validation set
        int epoch = at.epoch();
        for (; epoch <= epochs && !stopped && !stoppedEarly; epoch++) {
            model.train();
            boolean resumed = epoch == at.epoch();
            long start = System.nanoTime() - (resumed ? (long) (at.epochSeconds() * 1e9) : 0);
            double lossSum = resumed ? at.lossSum() : 0;
            long correct = resumed ? at.correct() : 0;
            long seen = resumed ? at.seen() : 0;
            int step = resumed ? at.batchesDone() : 0;
            double epochLr = resumed && step > 0 ? at.epochLr() : optimizer.lr();
            int micro = 0;   // batches whose gradients wait for the next optimizer step
            for (source.startEpoch(epoch, step); source.hasNext(); ) {
                try (StepMemory scope = memory.enter()) {   // the step's activations, reused by the next
                    step++;
                    globalStep++;
                    if (micro == 0) {
                        optimizer.zeroGrad();
                    }
                    TrainingSteps.Outcome batch = source.next(globalStep, accumulate);
                    if (batch.badOutput() != null) {
                        throw TrainingDivergedException.at(history, optimizer.lr(), "the model's output",
                                batch.badValue(), epoch, step, globalStep, "; first in " + batch.badOutput());
                    }
                    float value = batch.loss();
                    if (!Float.isFinite(value)) {
                        throw TrainingDivergedException.at(history, optimizer.lr(), "the training loss", value, epoch,
                                step, globalStep, "");
                    }
                    micro++;
                    boolean update = micro == accumulate || !source.hasNext();
                    if (update) {
                        long current = globalStep;
                        listeners.forEach(l -> l.afterBackward(current));
                    }
                    double gradNorm = GradientClipping.globalNorm(optimizer.parameters());
                    if (!Double.isFinite(gradNorm)) {
                        throw TrainingDivergedException.at(history, optimizer.lr(), "the gradient", (float) gradNorm,
                                epoch, step, globalStep, "; first in "
                                + TrainingDivergedException.firstNonFiniteGradient(model, optimizer.parameters()));
                    }
                    double clippedNorm = gradNorm;
                    if (update && !batch.stepped()) {
                        clippedNorm = GradientClipping.clip(optimizer.parameters(), gradNorm, clipValue, clipNorm);
                        optimizer.step();
                    }
                    if (update) {
                        if (schedule != null && schedulePerStep) {
                            schedule.step();
                        }
                        micro = 0;
                    }
                    int n = batch.samples();
                    lossSum += (double) value * n;
                    correct += batch.correct();
                    seen += n;
                    history.addStep(value, gradNorm, clippedNorm);
                    StepMetrics metrics = new StepMetrics(epoch, step, numBatches, globalStep, value, seen,
                            (System.nanoTime() - start) / 1e9, gradNorm, clippedNorm);
                    listeners.forEach(l -> l.onStep(metrics));
                    stopped = globalStep == maxSteps;
                    boolean due = stopped || checkpointEvery > 0 && globalStep % checkpointEvery == 0;
                    if (checkpointer != null && due && micro == 0 && source.hasNext()) {
                        checkpointer.saveOrFail(new TrainingPosition(epoch, step, globalStep, lossSum, correct, seen,
                                (System.nanoTime() - start) / 1e9, epochLr, bestEpoch, bestLoss, badEpochs, false),
                                history, best);
                    }
                    if (stopped) {
                        break;
                    }
                }
            }
            boolean complete = step == numBatches;
            double seconds = (System.nanoTime() - start) / 1e9;
            Evaluation val = validation == null ? null : evaluate(validation);
            Evaluation eval = test == null || validation != null ? new Evaluation(Double.NaN, Double.NaN, 0)
                    : evaluate(test);
            lastTest = test == null || validation != null ? null : eval;
            EpochMetrics metrics = new EpochMetrics(epoch, lossSum / seen,
                    regression ? Double.NaN : (double) correct / seen, eval.loss(),
                    eval.accuracy(), seconds, seen / seconds, epochLr, val == null ? Double.NaN : val.loss(),
                    val == null ? Double.NaN : val.accuracy());
            history.addEpoch(metrics);
            listeners.forEach(l -> l.onEpochEnd(metrics));
            if (!complete) {
                break;
            }
            if (patience > 0) {
                if (val.loss() < bestLoss - minDelta) {
                    bestLoss = val.loss();
                    bestEpoch = epoch;
                    badEpochs = 0;
                    best = model.stateDict();
                } else {
                    badEpochs++;
                    stoppedEarly = badEpochs >= patience;
                }
            }
            if (schedule != null && !schedulePerStep) {
                schedule.step(val != null ? val.loss() : metrics.trainLoss());
            }
            if (checkpointer != null && !stoppedEarly) {
                checkpointer.saveOrFail(new TrainingPosition(epoch + 1, 0, globalStep, 0, 0, 0, 0, Double.NaN,
                        bestEpoch, bestLoss, badEpochs, false), history, best);
            }
        }
        if (!stopped) {
            if (best != null) {
                model.loadStateDict(best, true);
            }
            history.setOutcome(test == null ? null : lastTest != null ? lastTest : evaluate(test), bestEpoch);
            if (checkpointer != null) {
                checkpointer.saveOrFail(new TrainingPosition(epoch, 0, globalStep, 0, 0, 0, 0, Double.NaN,
                        bestEpoch, bestLoss, badEpochs, true), history, best);
            }
        }
        listeners.forEach(l -> l.onEnd(history));
        return history;
    }

    /** The task of the training data, checked against the other datasets and the loss: true for regression. */
    private boolean checkTask(boolean regression, int outputs, String train, Dataset test) {
        for (Dataset other : new Dataset[] {test, validation}) {
            if (other != null && (other.isRegression() != regression || other.outputs() != outputs)) {
                throw new IllegalArgumentException(other + " does not match the training data, " + train
                        + ": evaluate on data of the same task and " + (regression ? "targets" : "classes"));
            }
        }
        if (regression && lossGiven) {
            throw new IllegalArgumentException(train + " has numeric targets, but the trainer was given a "
                    + "classification loss: give a regression loss with regressionLoss(…), e.g. new MSELoss()");
        }
        if (!regression && regressionLossGiven) {
            throw new IllegalArgumentException(train + " has class labels, but the trainer was given a regression "
                    + "loss: give a classification loss with loss(…), or regression data");
        }
        return regression;
    }

    /**
     * Mean loss and scores of the model on {@code data} (accuracy, or for regression data MAE, RMSE and R²), in
     * evaluation mode and without recording a graph.
     */
    public Evaluation evaluate(Dataset data) {
        if (data.isRegression()) {
            return RegressionMetrics.evaluate(model, data, regressionLoss, evalBatchSize);
        }
        ClassificationReport report = ClassificationReport.of(model, data, lossFn, evalBatchSize, memory);
        return new Evaluation(report.loss(), report.accuracy(), data.size());
    }

    /** Options for a {@link Trainer}; every one has a default. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private ClassificationLoss lossFn = new CrossEntropyLoss();
        private RegressionLoss regressionLoss = new MSELoss();
        private boolean lossGiven;
        private boolean regressionLossGiven;
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private long seed = DEFAULT_SEED;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private Double clipNorm;
        private Double clipValue;
        private long maxSteps = -1;
        private Checkpointer checkpointer;
        private long checkpointEvery;
        private TrainingPosition resumeAt;
        private History resumeHistory;
        private Map<String, Tensor> resumeBest;
        private LrScheduler schedule;
        private boolean schedulePerStep;
        private Dataset validation;
        private int patience;
        private double minDelta;
        private int accumulate = 1;
        private int evalBatchSize = EVAL_BATCH_SIZE;
        private int shards;
        private boolean syncBatchNorm;

        private Builder(Module model, Optimizer optimizer) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        }

        /** The loss to minimise on classification data (default: {@link CrossEntropyLoss}). */
        public Builder loss(ClassificationLoss loss) {
            this.lossFn = Objects.requireNonNull(loss, "loss");
            this.lossGiven = true;
            return this;
        }

        /**
         * The loss to minimise on regression data (default: {@link MSELoss}); {@code L1Loss}, {@code HuberLoss} and
         * {@code SmoothL1Loss} are the others.
         */
        public Builder regressionLoss(RegressionLoss loss) {
            this.regressionLoss = Objects.requireNonNull(loss, "loss");
            this.regressionLossGiven = true;
            return this;
        }

        /** Number of passes over the training set (default {@value #DEFAULT_EPOCHS}). */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** Samples per optimisation step (default {@value #DEFAULT_BATCH_SIZE}). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Seed of the shuffling order (default {@value #DEFAULT_SEED}). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Clips the gradients after every backward pass so that their global L2 norm is at most {@code maxNorm}
         * ({@link GradientClipping#clipByNorm}, PyTorch's {@code clip_grad_norm_}); off by default. The norms before
         * and after are in {@link StepMetrics} and {@link History}.
         */
        public Builder clipGradNorm(double maxNorm) {
            if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("clipGradNorm needs a positive finite norm, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * Clamps every gradient entry to {@code [−clipValue, clipValue]} after every backward pass
         * ({@link GradientClipping#clipByValue}); off by default. With {@link #clipGradNorm} as well, the values are
         * clamped first, then the norm is capped.
         */
        public Builder clipGradValue(double clipValue) {
            if (!(clipValue > 0) || Double.isInfinite(clipValue)) {
                throw new IllegalArgumentException("clipGradValue needs a positive finite value, got " + clipValue);
            }
            this.clipValue = clipValue;
            return this;
        }

        /**
         * Stops after this many optimisation steps in all (default: no limit, every epoch runs in full). The epoch
         * in progress ends there and is evaluated as usual; with a {@link #checkpoint checkpointer}, the run is saved
         * where it stopped, so a resumed run finishes that epoch.
         */
        public Builder maxSteps(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("maxSteps must be at least 1, got " + steps);
            }
            this.maxSteps = steps;
            return this;
        }

        /**
         * Saves the run's progress through {@code checkpointer} at the end of every epoch (after its evaluation),
         * and, when {@code everySteps > 0}, also every {@code everySteps} optimisation steps within an epoch. Off
         * by default.
         */
        public Builder checkpoint(Checkpointer checkpointer, long everySteps) {
            if (everySteps < 0) {
                throw new IllegalArgumentException("checkpoint interval must be 0 (each epoch) or positive, got "
                        + everySteps);
            }
            this.checkpointer = Objects.requireNonNull(checkpointer, "checkpointer");
            this.checkpointEvery = everySteps;
            return this;
        }

        /**
         * Continues a run from {@code position} with its {@code history} so far, the model, the optimizer and the
         * model's generators already set to their saved states (see {@code dev.nabla.io.Checkpoint}): with the same
         * seed, data, batch size and thread count, the run then ends with the weights bit for bit as if it had
         * never stopped.
         */
        public Builder resumeFrom(TrainingPosition position, History history, Map<String, Tensor> best) {
            this.resumeAt = Objects.requireNonNull(position, "position");
            this.resumeHistory = Objects.requireNonNull(history, "history");
            this.resumeBest = best;
            return this;
        }

        /**
         * Sets the learning rate with {@code schedule} (made on this trainer's optimizer): stepped after every epoch
         * (a {@link LrScheduler#needsMetric() plateau} schedule with the validation loss, or the training loss
         * without a validation set), or after every optimisation step when {@code perStep} (one-cycle, warm-up).
         */
        public Builder schedule(LrScheduler schedule, boolean perStep) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            this.schedulePerStep = perStep;
            if (perStep && schedule.needsMetric()) {
                throw new IllegalArgumentException("a schedule on a monitored value steps after each epoch, not after "
                        + "each step");
            }
            return this;
        }

        /**
         * Evaluates the model on {@code validation} after every epoch (its figures go to {@link EpochMetrics}); the
         * test set given to {@link #fit} is then evaluated only once, at the end ({@link History#finalTest()}).
         */
        public Builder validation(Dataset validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /**
         * Stops when the validation loss has not fallen by more than {@code minDelta} below its best for
         * {@code patience} epochs in a row, and ends with the best epoch's weights ({@link History#bestEpoch()}).
         * Needs {@link #validation}.
         */
        public Builder earlyStopping(int patience, double minDelta) {
            if (patience < 1 || !(minDelta >= 0)) {
                throw new IllegalArgumentException("early stopping needs a patience of at least 1 epoch and a "
                        + "min delta >= 0, got " + patience + " and " + minDelta);
            }
            this.patience = patience;
            this.minDelta = minDelta;
            return this;
        }

        /**
         * Sums the gradients of {@code batches} batches, each loss divided by their number, before each optimizer
         * step (gradient accumulation: the step of a batch that many times larger, in the memory of one); the last
         * group of an epoch may be smaller. Listeners' {@code afterBackward}, clipping and per-step schedules act
         * on the optimizer steps. Default 1.
         */
        public Builder accumulate(int batches) {
            if (batches < 1) {
                throw new IllegalArgumentException("gradient accumulation needs at least 1 batch per step, got "
                        + batches);
            }
            this.accumulate = batches;
            return this;
        }

        /**
         * Samples per evaluation batch (default {@value #EVAL_BATCH_SIZE}); fewer for a network of large maps per
         * sample (a CNN), so that no layer's output is a block the collector places among long-lived objects.
         */
        public Builder evalBatchSize(int samples) {
            if (samples < 1) {
                throw new IllegalArgumentException("the evaluation batch size must be at least 1, got " + samples);
            }
            this.evalBatchSize = samples;
            return this;
        }

        /**
         * Trains as data-parallel training on {@code count} workers would, on this machine: each batch cut into
         * {@code count} shards walked as {@link dev.nabla.data.ShardedLoader} does, their gradient sums added in shard
         * order ({@link ShardGradients}). The weights are then bit for bit those of a distributed run with as many
         * shards and the same seed, whatever the number of machines. The batch size must be a multiple of
         * {@code count}; gradient accumulation is refused. Off by default.
         */
        public Builder shards(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("the data must be cut into at least 1 shard, got " + count);
            }
            this.shards = count;
            return this;
        }

        /**
         * With {@link #shards}, normalises every shard's part of a batch by the whole batch's statistics
         * ({@link SyncBatchNorm}, PyTorch's {@code SyncBatchNorm}) instead of its own; off by default.
         */
        public Builder syncBatchNorm(boolean sync) {
            this.syncBatchNorm = sync;
            return this;
        }

        /** Adds a listener called as training runs. */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * The configured trainer.
         *
         * @throws IllegalStateException for early stopping without a validation set, shards that do not divide the
         *                               batch or come with gradient accumulation
         */
        public Trainer build() {
            if (patience > 0 && validation == null) {
                throw new IllegalStateException("early stopping watches the validation loss: give a validation set");
            }
            if (syncBatchNorm && shards == 0) {
                throw new IllegalStateException("syncBatchNorm shares statistics across shards: set shards too");
            }
            if (shards > 0 && batchSize % shards != 0 || shards > 0 && accumulate > 1) {
                throw new IllegalStateException(accumulate > 1 ? "gradient accumulation and shards do not go "
                        + "together: a data-parallel step is already one large batch; give a larger batch instead"
                        : "a batch of " + batchSize + " cannot be cut into " + shards + " equal shards: give a batch "
                        + "size that is a multiple of the shards");
            }
            return new Trainer(this);
        }
    }
}
