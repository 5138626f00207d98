package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.nn.Module;
import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One shard's part of a data-parallel training step, and how the parts make the step's gradient.
 *
 * <p>A shard's part is the gradient <em>sum</em> of its samples: the mean loss of its batch, times its sample count,
 * backpropagated ({@link #compute}). The step's gradient is the mean over the global batch: the shards' sums added
 * in shard order, then divided by the total count ({@link #combine}). Both steps are the same code wherever they
 * run, and neither the cut nor the order of the additions depends on how many machines computed the parts: so the
 * result is the same bit for bit on one thread, on several, or on Spark executors. It is not bit-identical to one
 * pass over the unsharded batch (float additions in another order), and the gradient of a loss that averages over
 * class weights rather than samples is weighted by samples across shards.
 *
 * <p>What differs per shard is what a model keyed to one machine would get wrong, done as PyTorch's
 * {@code DistributedDataParallel} does it: BatchNorm normalises each shard by its own batch statistics, and the
 * running statistics the step leaves are shard 0's; dropout draws each shard's masks from generators set from
 * {@code (seed, step, shard)}, not from where the shard ran.
 *
 * @param shard     the shard's index
 * @param samples   its samples in this step (0 when it had none left)
 * @param lossSum   the sum of its samples' losses
 * @param correct   its correctly classified samples (0 for regression)
 * @param sums      per parameter, in {@link Module#parameters()} order, the gradient sum; null without samples or
 *                  when the output was not finite
 * @param buffers   shard 0's buffers after its forward pass (BatchNorm's running statistics), by name; else empty
 * @param badSample the first sample (in the shard's batch) with a non-finite output, or -1
 * @param badValue  that output
 */
public record ShardGradients(int shard, int samples, double lossSum, long correct, float[][] sums,
                             Map<String, float[]> buffers, int badSample, float badValue) implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The part of a shard that has no samples left in this step. */
    public static ShardGradients empty(int shard) {
        return new ShardGradients(shard, 0, 0, 0, null, Map.of(), -1, 0f);
    }

    /**
     * Runs the shard's batch forward and backward on {@code model} (in training mode) and returns its gradient sums.
     *
     * @param loss  the mean loss of a batch's output
     * @param batch the shard's samples in this step, or null when it has none left
     * @param step  the global step, counted from 1, which with {@code seed} and {@code shard} sets dropout's masks
     */
    public static ShardGradients compute(Module model, BiFunction<Tensor, Batch, Tensor> loss, Batch batch,
                                         int shard, long step, long seed) {
        if (batch == null || batch.size() == 0) {
            return empty(shard);
        }
        keyGenerators(model, seed, step, shard);
        model.zeroGrad();
        Tensor output = model.call(batch.x());
        Map<String, float[]> buffers = new LinkedHashMap<>();
        if (shard == 0) {
            model.namedBuffers().forEach((name, b) -> buffers.put(name, b.data().clone()));
        }
        int bad = Checks.firstNonFinite(output);
        int n = batch.size();
        if (bad >= 0) {
            int outputs = output.size() / n;
            return new ShardGradients(shard, n, Double.NaN, 0, null, buffers, bad / outputs, output.data()[bad]);
        }
        Tensor mean = loss.apply(output, batch);
        float value = mean.item();
        Functional.mul(mean, Tensor.scalar(n)).backward();
        List<Tensor> params = model.parameters();
        float[][] sums = new float[params.size()][];
        for (int i = 0; i < sums.length; i++) {
            Tensor g = params.get(i).grad();
            sums[i] = g == null ? new float[params.get(i).size()] : g.data().clone();
        }
        long correct = batch.y() == null ? 0 : countCorrect(output, batch.y());
        return new ShardGradients(shard, n, (double) value * n, correct, sums, buffers, -1, 0f);
    }

    /**
     * Sets every parameter's gradient of {@code model} to the step's mean: the parts' sums added in the order given
     * (shard order), divided by their total count; sets the model's buffers to shard 0's. Returns the step's figures.
     *
     * @param parts every shard's part, in shard order
     * @throws IllegalArgumentException when no part has samples
     */
    public static Step combine(Module model, List<ShardGradients> parts) {
        long samples = 0;
        double lossSum = 0;
        long correct = 0;
        for (ShardGradients part : parts) {
            if (part.badSample >= 0) {
                return new Step(Double.NaN, 0, samples + part.samples, part.shard, part.badSample, part.badValue);
            }
            samples += part.samples;
            lossSum += part.lossSum;
            correct += part.correct;
        }
        if (samples == 0) {
            throw new IllegalArgumentException("no shard had samples in this step");
        }
        List<Tensor> params = model.parameters();
        for (int i = 0; i < params.size(); i++) {
            float[] total = null;
            for (ShardGradients part : parts) {
                if (part.sums == null) {
                    continue;
                }
                float[] sum = part.sums[i];
                if (total == null) {
                    total = sum.clone();
                } else {
                    for (int j = 0; j < total.length; j++) {
                        total[j] += sum[j];
                    }
                }
            }
            for (int j = 0; j < total.length; j++) {
                total[j] /= samples;
            }
            params.get(i).setGrad(Tensor.wrap(total, params.get(i).shape()));
        }
        Map<String, Tensor> buffers = model.namedBuffers();
        parts.get(0).buffers.forEach((name, values) ->
                System.arraycopy(values, 0, buffers.get(name).data(), 0, values.length));
        return new Step(lossSum / samples, correct, samples, -1, -1, 0f);
    }

    /**
     * A data-parallel step's figures.
     *
     * @param loss      the mean loss over the global batch
     * @param correct   correctly classified samples
     * @param samples   the global batch's samples
     * @param badShard  the first shard whose output was not finite, or -1
     * @param badSample the first such sample in that shard's batch
     * @param badValue  that output
     */
    public record Step(double loss, long correct, long samples, int badShard, int badSample, float badValue) {}

    /**
     * Sets every random generator of {@code model} (dropout's) to a state fixed by {@code (seed, step, shard)} and
     * its place in the model: the shard's masks do not depend on where or after what it ran.
     */
    public static void keyGenerators(Module model, long seed, long step, int shard) {
        List<Rng> generators = new ArrayList<>(model.namedGenerators().values());
        Rng keys = new Rng(seed ^ 0x5851f42d4c957f2dL * step ^ 0x14057b7ef767814fL * (shard + 1L));
        for (Rng generator : generators) {
            generator.setState(keys.split().state());
        }
    }

    static int countCorrect(Tensor logits, int[] labels) {
        int[] predicted = logits.argmax(-1);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}
