package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.nn.Module;
import dev.nabla.optim.GradientClipping;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.StepMemory;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Local SGD (Stich, "Local SGD converges fast and communicates little", 2019): every worker takes K optimizer steps
 * on its own shard from the same weights and optimizer state, then the parameters, buffers and optimizer states they
 * reached are averaged, and the next round starts from the average. One exchange per K steps instead of one per
 * step, so less time waiting on the network; but a worker's K steps follow its own shard's gradients, so the result
 * is not that of synchronous training on one machine, and it drifts further from it as K grows.
 *
 * <p>A worker's round is {@link #run}, the averaging {@link #average}: the same code wherever they run, adding the
 * parts in shard order, so the result does not depend on how many machines ran the workers.
 */
public final class LocalSgd {
    private LocalSgd() {
    }

    /**
     * An optimizer's state as it travels between machines: the learning rate, and per parameter its step count and
     * buffers.
     */
    public record OptimizerState(double lr, long[] steps, List<Map<String, float[]>> buffers) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** The state of {@code optimizer}, copied. */
        public static OptimizerState of(Optimizer optimizer) {
            Optimizer.State state = optimizer.stateDict();
            long[] steps = new long[state.params().size()];
            List<Map<String, float[]>> buffers = new ArrayList<>();
            for (int k = 0; k < steps.length; k++) {
                Optimizer.ParamState p = state.params().get(k);
                steps[k] = p.step();
                Map<String, float[]> b = new LinkedHashMap<>();
                p.buffers().forEach((name, t) -> b.put(name, t.data().clone()));
                buffers.add(b);
            }
            return new OptimizerState(state.lr(), steps, buffers);
        }

        /** Sets {@code optimizer} (over {@code params}, of the kind this came from) to this state. */
        public void load(Optimizer optimizer) {
            List<Tensor> params = optimizer.parameters();
            List<Optimizer.ParamState> states = new ArrayList<>();
            for (int k = 0; k < steps.length; k++) {
                Map<String, Tensor> b = new LinkedHashMap<>();
                Tensor p = params.get(k);
                buffers.get(k).forEach((name, values) -> b.put(name, Tensor.wrap(values.clone(), p.shape())));
                states.add(new Optimizer.ParamState(steps[k], b));
            }
            optimizer.loadStateDict(new Optimizer.State(lr, states));
        }
    }

    /**
     * What a worker reached in a round.
     *
     * @param shard     its shard
     * @param steps     the optimizer steps it took (fewer than K when its shard ran out in the epoch; 0: none)
     * @param state     its parameters and buffers, by name
     * @param optimizer its optimizer's state
     * @param lossSum   the sum of its samples' losses over the round, each at the step it was used
     * @param correct   its correctly classified samples (0 for regression)
     * @param samples   its samples in the round
     */
    public record Part(int shard, int steps, Map<String, float[]> state, OptimizerState optimizer, double lossSum,
                       long correct, long samples) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /**
     * A worker's round: on {@code model} and its {@code optimizer}, already set to the round's starting state, one
     * optimizer step per batch (null batches, past the end of the shard, are skipped), clipped as given, with
     * dropout keyed by the step and the shard as in synchronous training.
     *
     * @param firstStep the number of the first batch's step over the run, from 1
     * @param clipValue clamp each gradient entry to this, or null
     * @param clipNorm  cap the global gradient norm at this, or null
     * @param memory    the arrays each step's activations reuse ({@link StepMemory}), entered per step; or null
     */
    public static Part run(Module model, Optimizer optimizer, BiFunction<Tensor, Batch, Tensor> loss,
                           List<Batch> batches, int shard, long firstStep, long seed, Double clipValue,
                           Double clipNorm, StepMemory memory) {
        model.train();
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        int steps = 0;
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            if (batch == null || batch.size() == 0) {
                continue;
            }
            try (StepMemory scope = memory == null ? null : memory.enter()) {
                ShardGradients.keyGenerators(model, seed, firstStep + i, shard);
                optimizer.zeroGrad();
                Tensor output = model.call(batch.x());
                Tensor mean = loss.apply(output, batch);
                float value = mean.item();
                mean.backward();
                if (clipValue != null || clipNorm != null) {   // the norm is a pass over every gradient
                    GradientClipping.clip(optimizer.parameters(), GradientClipping.globalNorm(optimizer.parameters()),
                            clipValue, clipNorm);
                }
                optimizer.step();
                lossSum += (double) value * batch.size();
                correct += batch.y() == null ? 0 : ShardGradients.countCorrect(output, batch.y());
            }
            samples += batch.size();
            steps++;
        }
        return new Part(shard, steps, model.stateValues(), OptimizerState.of(optimizer), lossSum, correct, samples);
    }

    /**
     * Sets {@code model} and {@code optimizer} to the average of the parts that took a step (added in the order
     * given, shard order, then divided by their number; an optimizer's step count is the largest), and returns the
     * round's figures: the mean loss over its samples, the correct ones, the samples.
     *
     * @throws IllegalArgumentException when no part took a step
     */
    public static ShardGradients.Step average(Module model, Optimizer optimizer, List<Part> parts) {
        List<Part> stepped = parts.stream().filter(p -> p.steps() > 0).toList();
        if (stepped.isEmpty()) {
            throw new IllegalArgumentException("no worker took a step in this round");
        }
        model.namedState().forEach((name, t) -> mean(stepped.stream().map(p -> p.state().get(name)).toList(),
                t.data()));
        OptimizerState first = stepped.getFirst().optimizer();
        long[] steps = first.steps().clone();
        List<Map<String, float[]>> buffers = new ArrayList<>();
        for (int k = 0; k < steps.length; k++) {
            int param = k;
            Map<String, float[]> averaged = new LinkedHashMap<>();
            first.buffers().get(k).forEach((name, values) -> {
                float[] out = new float[values.length];
                mean(stepped.stream().map(p -> p.optimizer().buffers().get(param).get(name)).toList(), out);
                averaged.put(name, out);
            });
            for (Part p : stepped) {
                steps[k] = Math.max(steps[k], p.optimizer().steps()[k]);
            }
            buffers.add(averaged);
        }
        new OptimizerState(first.lr(), steps, buffers).load(optimizer);
        double lossSum = 0;
        long correct = 0;
        long samples = 0;
        for (Part p : parts) {
            lossSum += p.lossSum();
            correct += p.correct();
            samples += p.samples();
        }
        return new ShardGradients.Step(lossSum / samples, correct, samples, -1, -1, 0f);
    }

    /** Writes into {@code out} the mean of {@code values}, added in order in double. */
    private static void mean(List<float[]> values, float[] out) {
        for (int j = 0; j < out.length; j++) {
            double sum = 0;
            for (float[] v : values) {
                sum += v[j];
            }
            out[j] = (float) (sum / values.size());
        }
    }
}
