package dev.nabla.spark;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.ShardedLoader;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.StepMemory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * What an executor keeps between the steps of one training run, so that a step does not rebuild it: copies of the
 * model (one per task running at once, each with its step memory) and each shard's place in its epoch. Only a cache:
 * a task that finds nothing, or a shard's place elsewhere than it needs (a retried task, a shard that moved to this
 * executor), rebuilds it from the shard, the seed and the epoch, so a part never depends on what ran before it here.
 * Keeps the latest run only.
 */
final class ExecutorState {
    private static String run;
    private static final Deque<Worker> idle = new ArrayDeque<>();
    private static final Map<Integer, Cursor> cursors = new HashMap<>();

    private ExecutorState() {
    }

    /** A copy of the model and the memory its steps reuse. */
    record Worker(Module model, StepMemory memory) {
        /** Sets the copy's weights and buffers to the driver's, and puts it in training mode. */
        void load(Map<String, float[]> state) {
            model.setStateValues(state);
            model.train();
        }
    }

    /** Where a shard stands in its epoch: its loader, the epoch drawn last, and the next batch of it. */
    private static final class Cursor {
        final DataLoader loader;
        int epoch;
        int next;
        Iterator<Batch> batches;

        Cursor(DataLoader loader) {
            this.loader = loader;
        }
    }

    private static void forRun(String id) {
        if (!id.equals(run)) {
            run = id;
            idle.clear();
            cursors.clear();
        }
    }

    /** A copy of the model for this task, built when no idle one is left. */
    static Worker worker(String id, ModelSpec spec) {
        synchronized (ExecutorState.class) {
            forRun(id);
            Worker w = idle.poll();
            if (w != null) {
                return w;
            }
        }
        return new Worker(spec.build(new Rng(0)), new StepMemory());
    }

    /** Returns a copy for the next task of the run. */
    static synchronized void release(String id, Worker worker) {
        if (id.equals(run)) {
            idle.push(worker);
        }
    }

    /** The shard's batch {@code batch} of {@code epoch}, or null when it has none left in it. */
    static synchronized Batch batch(String id, ShardData shard, int epoch, int batch, int batchSize, int shards,
                                    long seed) {
        forRun(id);
        Cursor c = cursors.get(shard.shard());
        if (c == null || epoch < c.epoch || epoch == c.epoch && batch != c.next) {
            Dataset data = shard.dataset();
            c = new Cursor(ShardedLoader.shardLoader(data, shard.shard(), batchSize, shards, seed));
            cursors.put(shard.shard(), c);
        }
        if (epoch != c.epoch) {
            for (int e = c.epoch + 1; e < epoch; e++) {
                c.loader.iterator();   // the orders of the epochs before
            }
            c.batches = c.loader.iterator(Math.min(batch, c.loader.numBatches()));
            c.epoch = epoch;
        }
        c.next = batch + 1;
        return c.batches.hasNext() ? c.batches.next() : null;
    }
}
