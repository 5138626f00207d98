package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.nn.Module;
import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Tensor;
import java.util.Iterator;
import java.util.function.BiFunction;

/**
 * Where the {@link Trainer}'s loop gets each batch's gradients: one batch at a time through the model
 * ({@link Batches}), or the shards of a data-parallel step, added ({@link Shards}). Either way the parameters'
 * {@code grad()} hold the batch's gradient after {@link #next}, and the loop does the rest (checks, listeners,
 * clipping, the optimizer step, metrics) the same. Or a round of local SGD ({@link LocalRounds}), whose workers
 * took the optimizer steps themselves: the loop then takes none.
 */
sealed interface TrainingSteps {
    /** Batches per epoch. */
    int batchesPerEpoch();

    /** Starts epoch {@code epoch} (1-based, in increasing order) at batch {@code first}. */
    void startEpoch(int epoch, int first);

    /** True while the epoch has batches left. */
    boolean hasNext();

    /**
     * Runs the next batch forward and backward: its gradient, divided by {@code accumulate}, is added to the
     * parameters' gradients (set, for the first batch after {@code optimizer.zeroGrad()}).
     *
     * @param globalStep the step counted over the whole run, from 1
     */
    Outcome next(long globalStep, int accumulate);

    /**
     * A batch's figures.
     *
     * @param loss      its mean loss (NaN when the output was not finite)
     * @param samples   its samples
     * @param correct   correctly classified samples (0 for regression)
     * @param badOutput where the output first went non-finite, or null
     * @param badValue  that output
     * @param stepped   whether the optimizer steps were taken already (by local SGD's workers)
     */
    record Outcome(float loss, int samples, long correct, String badOutput, float badValue, boolean stepped) {}

    /** One batch at a time from a {@link DataLoader}, through the trainer's model. */
    final class Batches implements TrainingSteps {
        private final Module model;
        private final BiFunction<Tensor, Batch, Tensor> loss;
        private final DataLoader loader;
        private Iterator<Batch> epoch;
        private int drawn;

        Batches(Module model, BiFunction<Tensor, Batch, Tensor> loss, DataLoader loader) {
            this.model = model;
            this.loss = loss;
            this.loader = loader;
        }

        @Override
        public int batchesPerEpoch() {
            return loader.numBatches();
        }

        @Override
        public void startEpoch(int epoch, int first) {
            for (; drawn < epoch - 1; drawn++) {
                loader.iterator();   // draws the orders of the epochs done, so the next is the one the run was in
            }
            this.epoch = loader.iterator(first);
            drawn = epoch;
        }

        @Override
        public boolean hasNext() {
            return epoch.hasNext();
        }

        @Override
        public Outcome next(long globalStep, int accumulate) {
            Batch batch = epoch.next();
            Tensor output = model.call(batch.x());
            int bad = Checks.firstNonFinite(output);
            if (bad >= 0) {
                int outputs = output.size() / Math.max(1, output.dim(0));
                return new Outcome(Float.NaN, batch.size(), 0,
                        "sample " + bad / outputs + ", output " + bad % outputs, output.data()[bad], false);
            }
            Tensor mean = loss.apply(output, batch);
            float value = mean.item();
            if (Float.isFinite(value)) {
                (accumulate > 1 ? Functional.mul(mean, Tensor.scalar(1f / accumulate)) : mean).backward();
            }
            long correct = batch.y() == null ? 0 : ShardGradients.countCorrect(output, batch.y());
            return new Outcome(value, batch.size(), correct, null, 0f, false);
        }
    }

    /** The shards of each data-parallel step, computed by {@link ShardWorkers} and added in shard order. */
    final class Shards implements TrainingSteps {
        private final Module model;
        private final ShardWorkers workers;
        private final int batches;
        private int epoch;
        private int next;

        Shards(Module model, ShardWorkers workers, int accumulate) {
            if (accumulate > 1) {
                throw new IllegalStateException("gradient accumulation and shards do not go together: a "
                        + "data-parallel step is already one large batch; give a larger batch instead");
            }
            this.model = model;
            this.workers = workers;
            this.batches = workers.data().batchesPerEpoch();
        }

        @Override
        public int batchesPerEpoch() {
            return batches;
        }

        @Override
        public void startEpoch(int epoch, int first) {
            this.epoch = epoch;
            this.next = first;
        }

        @Override
        public boolean hasNext() {
            return next < batches;
        }

        @Override
        public Outcome next(long globalStep, int accumulate) {
            ShardGradients.Step step = ShardGradients.combine(model, workers.compute(epoch, next++, globalStep));
            if (step.badShard() >= 0) {
                return new Outcome(Float.NaN, (int) step.samples(), 0, "shard " + step.badShard() + ", sample "
                        + step.badSample(), step.badValue(), false);
            }
            return new Outcome((float) step.loss(), (int) step.samples(), step.correct(), null, 0f, false);
        }
    }

    /**
     * The rounds of local SGD ({@link LocalSgd}): each "batch" of the loop is one round, in which every worker takes
     * up to {@code syncEvery} steps from the model's weights and the optimizer's state, and the model and the
     * optimizer are then set to the average of what the workers reached.
     */
    final class LocalRounds implements TrainingSteps {
        private final Module model;
        private final Optimizer optimizer;
        private final LocalSgdWorkers workers;
        private final int batches;   // the workers' global batches per epoch, in rounds of syncEvery
        private int epoch;
        private int next;

        LocalRounds(Module model, Optimizer optimizer, LocalSgdWorkers workers, int accumulate) {
            if (accumulate > 1) {
                throw new IllegalStateException("gradient accumulation and local SGD do not go together: give a "
                        + "larger batch instead");
            }
            this.model = model;
            this.optimizer = optimizer;
            this.workers = workers;
            this.batches = workers.data().batchesPerEpoch();
        }

        @Override
        public int batchesPerEpoch() {
            return (batches + workers.syncEvery() - 1) / workers.syncEvery();
        }

        @Override
        public void startEpoch(int epoch, int first) {
            this.epoch = epoch;
            this.next = first;
        }

        @Override
        public boolean hasNext() {
            return next < batchesPerEpoch();
        }

        @Override
        public Outcome next(long globalStep, int accumulate) {
            int k = workers.syncEvery();
            int first = next++ * k;
            int count = Math.min(k, batches - first);
            long firstStep = (long) (epoch - 1) * batches + first + 1;
            ShardGradients.Step round = LocalSgd.average(model, optimizer, workers.round(epoch, first, count,
                    firstStep, model.stateValues(), LocalSgd.OptimizerState.of(optimizer)));
            return new Outcome((float) round.loss(), (int) round.samples(), round.correct(), null, 0f, true);
        }
    }
}
