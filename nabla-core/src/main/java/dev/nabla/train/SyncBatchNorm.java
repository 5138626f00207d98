package dev.nabla.train;

import dev.nabla.data.Batch;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.Module;
import dev.nabla.ops.BatchNormSync;
import dev.nabla.ops.BatchNormSync.Moments;
import dev.nabla.ops.BatchNormSync.Sums;
import dev.nabla.tensor.Tensor;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Synchronised batch normalisation in data-parallel steps, as PyTorch's {@code SyncBatchNorm}: every BatchNorm layer
 * normalises every shard with the statistics of the whole global batch, and backpropagates with its gradient sums
 * ({@link BatchNormSync}); the running statistics are then the whole batch's too.
 *
 * <p>A shard cannot finish its forward pass before the others have reached each layer, nor its backward pass. The
 * shards are therefore run in rounds, each a complete pass of every shard from the step's weights ({@link #pass}):
 * a pass stops at the first layer whose whole-batch values are not known yet and returns its shard's contribution,
 * the contributions are combined in shard order ({@link #next}), and the next round goes one layer further. With L
 * layers, L rounds find the forward statistics, L more the backward sums (from the last layer back), and the last
 * round computes the gradients: 2L + 1 passes per step, each needing only what was combined before it. So a round
 * is one job of independent tasks on a cluster (no task waits for another), a failed task can be run again, and the
 * same rounds run on one machine give the same result bit for bit.
 */
public final class SyncBatchNorm {
    private SyncBatchNorm() {
    }

    /**
     * The whole-batch values combined so far in a step, by layer (the model's BatchNorm layers numbered in order).
     *
     * @param moments the forward statistics of the layers known
     * @param sums    the backward sums of the layers known
     */
    public record Known(Map<Integer, Moments> moments, Map<Integer, Sums> sums) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        /** Nothing known: a step's first round. */
        public static final Known NOTHING = new Known(Map.of(), Map.of());

        /** @param moments copied, as {@code sums} */
        public Known {
            moments = Map.copyOf(moments);
            sums = Map.copyOf(sums);
        }
    }

    /**
     * What a shard's pass gives: its part of the step, or its contribution to the layer the pass stopped at.
     *
     * @param part    the shard's gradient sums, when the pass went through; else null
     * @param layer   the layer it stopped at, or -1
     * @param moments its statistics at that layer in a forward round, else null
     * @param sums    its gradient sums at that layer in a backward round, else null
     */
    public record Pass(ShardGradients part, int layer, Moments moments, Sums sums) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** Thrown through the model to stop a pass at a layer whose whole-batch values are not known yet. */
    private static final class Stop extends RuntimeException {
        @Serial
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs the shard's pass ({@link ShardGradients#compute}) with every BatchNorm layer of {@code model} using
     * {@code known}; stops at the first layer whose values are not known and returns the shard's contribution there.
     * A shard without samples contributes nothing.
     */
    public static Pass pass(Module model, BiFunction<Tensor, Batch, Tensor> loss, Batch batch, int shard, long step,
                            long seed, Known known) {
        if (batch == null || batch.size() == 0) {
            return new Pass(ShardGradients.empty(shard), -1, null, null);
        }
        List<BatchNorm> layers = layers(model);
        Pass[] stopped = new Pass[1];
        for (int i = 0; i < layers.size(); i++) {
            int layer = i;
            layers.get(i).synchronize(new BatchNormSync() {
                @Override
                public Moments moments(long count, float[] mean, float[] var) {
                    Moments all = known.moments().get(layer);
                    if (all == null) {
                        stopped[0] = new Pass(null, layer, new Moments(count, mean.clone(), var.clone()), null);
                        throw new Stop();
                    }
                    return all;
                }

                @Override
                public Sums gradientSums(double[] sumDy, double[] sumDyXhat) {
                    Sums all = known.sums().get(layer);
                    if (all == null) {
                        stopped[0] = new Pass(null, layer, null, new Sums(sumDy.clone(), sumDyXhat.clone()));
                        throw new Stop();
                    }
                    return all;
                }
            });
        }
        try {
            return new Pass(ShardGradients.compute(model, loss, batch, shard, step, seed), -1, null, null);
        } catch (Stop stop) {
            return stopped[0];
        } finally {
            layers.forEach(l -> l.synchronize(null));
        }
    }

    /**
     * The values known after a round: {@code known} with the layer the passes stopped at combined from their
     * contributions in shard order; or null when every pass went through, and the step's parts are in them.
     *
     * @throws IllegalStateException when the passes stopped at different layers (the shards ran different models)
     */
    public static Known next(Known known, List<Pass> passes) {
        List<Moments> moments = new ArrayList<>();
        List<Sums> sums = new ArrayList<>();
        int layer = -1;
        boolean through = false;
        for (Pass p : passes) {
            if (p.part() != null) {
                through |= p.part().samples() > 0;
                continue;
            }
            if (layer >= 0 && p.layer() != layer) {
                throw new IllegalStateException("the shards' passes stopped at BatchNorm layers " + layer + " and "
                        + p.layer() + ": every shard must run the same model");
            }
            layer = p.layer();
            if (p.moments() != null) {
                moments.add(p.moments());
            } else {
                sums.add(p.sums());
            }
        }
        if (layer >= 0 && through) {
            throw new IllegalStateException("some shards went through a pass that others stopped in at BatchNorm "
                    + "layer " + layer + ": every shard must run the same model");
        }
        if (layer < 0) {
            return null;
        }
        Map<Integer, Moments> m = new HashMap<>(known.moments());
        Map<Integer, Sums> s = new HashMap<>(known.sums());
        if (!moments.isEmpty()) {
            m.put(layer, Moments.combine(moments));
        } else {
            s.put(layer, Sums.add(sums));
        }
        return new Known(m, s);
    }

    /** The parts of a round whose passes all went through, in shard order. */
    public static List<ShardGradients> parts(List<Pass> passes) {
        return passes.stream().map(Pass::part).toList();
    }

    private static List<BatchNorm> layers(Module model) {
        return model.namedModules().values().stream().filter(BatchNorm.class::isInstance)
                .map(BatchNorm.class::cast).toList();
    }
}
