package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.ShardedLoader;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The shards of a data-parallel step computed on this machine, one after the other, on the trainer's model: the
 * single-machine twin of a distributed run, with the same cut, order and sums.
 */
final class LocalShards implements ShardWorkers {
    private final Module model;
    private final BiFunction<Tensor, Batch, Tensor> loss;
    private final Dataset data;
    private final ShardedLoader loader;
    private final long seed;
    private final int batchSize;
    private final boolean syncBatchNorm;
    private int epoch;
    private int next;
    private Iterator<List<Batch>> batches;

    LocalShards(Module model, BiFunction<Tensor, Batch, Tensor> loss, Dataset data, int batchSize, int shards,
                long seed, boolean syncBatchNorm) {
        this.model = model;
        this.syncBatchNorm = syncBatchNorm;
        this.loss = loss;
        this.data = data;
        this.loader = new ShardedLoader(data, batchSize, shards, seed);
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public ShardedData data() {
        return ShardedData.of(data, batchSize, loader.shards());
    }

    @Override
    public List<ShardGradients> compute(int epoch, int batch, long globalStep) {
        if (epoch != this.epoch || batch != next) {
            if (epoch <= this.epoch) {
                throw new IllegalStateException("batch " + batch + " of epoch " + epoch + " asked for after batch "
                        + (next - 1) + " of epoch " + this.epoch + ": the batches are walked in order");
            }
            for (int e = this.epoch + 1; e < epoch; e++) {
                loader.iterator();   // draws the orders of the epochs skipped (a resumed run)
            }
            batches = loader.iterator(batch);
            this.epoch = epoch;
        }
        next = batch + 1;
        List<Batch> shards = batches.next();
        List<ShardGradients> parts = new ArrayList<>(shards.size());
        if (!syncBatchNorm) {
            for (int k = 0; k < shards.size(); k++) {
                parts.add(ShardGradients.compute(model, loss, shards.get(k), k, globalStep, seed));
            }
            return parts;
        }
        Map<String, float[]> start = new LinkedHashMap<>();   // each round's passes start from the step's buffers
        Map<String, Tensor> buffers = model.namedBuffers();   // the model's own tensors, set back before each pass
        buffers.forEach((name, b) -> start.put(name, b.data().clone()));
        for (SyncBatchNorm.Known known = SyncBatchNorm.Known.NOTHING; ; ) {
            List<SyncBatchNorm.Pass> passes = new ArrayList<>(shards.size());
            for (int k = 0; k < shards.size(); k++) {
                buffers.forEach((name, b) -> System.arraycopy(start.get(name), 0, b.data(), 0, b.size()));
                passes.add(SyncBatchNorm.pass(model, loss, shards.get(k), k, globalStep, seed, known));
            }
            known = SyncBatchNorm.next(known, passes);
            if (known == null) {
                return SyncBatchNorm.parts(passes);
            }
        }
    }
}
