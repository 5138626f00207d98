package dev.nabla.spark.costs;

import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.StepMemory;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.ShardGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * What a network costs a data-parallel step, measured with nabla-core on this machine: its size, a shard's forward
 * and backward pass at each per-shard batch, the driver's addition of one shard's sums, and an Adam step.
 *
 * @param name        the network, as {@code nabla train} names it
 * @param parameters  its trainable values
 * @param batch       the global batch
 * @param shardMs     per shard count N (dividing the batch), a shard's pass at batch/N samples, in ms
 * @param addMs       the driver's addition of one shard's gradient sums
 * @param optimizerMs an Adam step over all parameters
 */
record ModelCosts(String name, long parameters, int batch, Map<Integer, Double> shardMs, double addMs,
                  double optimizerMs) {
    private static final BiFunction<Tensor, Batch, Tensor> LOSS = (out, b) -> new CrossEntropyLoss().apply(out, b.y());

    /**
     * Measures {@code spec} on random 28×28 images in batches of {@code batch}, cut into each of {@code shards}, each
     * figure after {@code warmupMs} of the same work untimed (and the passes after a first round over all sizes).
     */
    static ModelCosts measure(String name, ModelSpec spec, int batch, List<Integer> shards, int repeats,
                              long warmupMs) {
        Module model = spec.build(new Rng(1));
        model.train();
        Dataset data = random(batch);
        StepMemory memory = new StepMemory();
        Map<Integer, Double> shardMs = new TreeMap<>();
        for (int round = 0; round < 2; round++) {   // the first round warms every size up, the second is kept
            for (int n : shards) {
                Batch part = data.batch(IntStream.range(0, batch / n).toArray());
                shardMs.put(n, Measured.medianMs(warmupMs, repeats, () -> Measured.time(() -> {
                    try (StepMemory scope = memory.enter()) {
                        ShardGradients.compute(model, LOSS, part, 0, 1, 0);
                    }
                })));
            }
        }
        ShardGradients one = ShardGradients.compute(model, LOSS, data.batch(new int[] {0, 1}), 0, 1, 0);
        List<ShardGradients> eight = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            eight.add(new ShardGradients(k, 2, one.lossSum(), 0, one.sums(), k == 0 ? one.buffers() : Map.of(), -1, 0f));
        }
        double addMs = Measured.medianMs(warmupMs, repeats, () -> Measured.time(() -> ShardGradients.combine(model, eight)))
                / 8;
        Adam adam = new Adam(model.parameters(), 1e-3);
        double optimizerMs = Measured.medianMs(warmupMs, repeats, () -> Measured.time(adam::step));
        return new ModelCosts(name, model.parameterCount(), batch, shardMs, addMs, optimizerMs);
    }

    /** {@code n} random 28×28 images with labels 0-9. */
    private static Dataset random(int n) {
        Rng rng = new Rng(7);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextFloat();
        }
        int[] y = IntStream.range(0, n).map(i -> i % 10).toArray();
        return new Dataset("random images", x, Shape.of(784), y, 10);
    }

    /** The weights' size in MiB (as float32), which a step broadcasts once and collects once per shard. */
    double megabytes() {
        return parameters * 4.0 / (1 << 20);
    }

    /** The single machine's step: one pass over the whole batch, and the optimizer step. */
    double singleMachineMs() {
        return shardMs.get(1) + optimizerMs;
    }
}
