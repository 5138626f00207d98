package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.data.ShardedLoader;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Local SGD: workers' rounds from the same state, averaged in shard order. */
class LocalSgdTest {
    private static final MlpSpec SPEC = new MlpSpec(64, List.of(32), 10, Activation.TANH, Init.Scheme.DEFAULT);
    private static final BiFunction<Tensor, Batch, Tensor> LOSS = (out, b) -> new CrossEntropyLoss().apply(out, b.y());
    private static final Dataset TRAIN = Digits.train();

    /** Workers on this machine, each with its own model copy and optimizer, as executors would hold them. */
    private static final class Workers implements LocalSgdWorkers {
        private final int shards;
        private final int syncEvery;
        private final Function<List<Tensor>, Optimizer> optimizers;
        private final List<DataLoader> loaders = new ArrayList<>();
        private final List<Iterator<Batch>> epochs = new ArrayList<>();
        private int epoch;

        Workers(int shards, int syncEvery, Function<List<Tensor>, Optimizer> optimizers) {
            this.shards = shards;
            this.syncEvery = syncEvery;
            this.optimizers = optimizers;
            for (int k = 0; k < shards; k++) {
                loaders.add(ShardedLoader.shardLoader(ShardedLoader.shard(TRAIN, k, shards), k, 64, shards, 3));
                epochs.add(null);
            }
        }

        @Override
        public ShardedData data() {
            return ShardedData.of(TRAIN, 64, shards);
        }

        @Override
        public int syncEvery() {
            return syncEvery;
        }

        @Override
        public List<LocalSgd.Part> round(int epoch, int first, int count, long firstStep, Map<String, float[]> state,
                                         LocalSgd.OptimizerState optimizer) {
            if (epoch != this.epoch) {
                for (int k = 0; k < shards; k++) {
                    epochs.set(k, loaders.get(k).iterator());
                }
                this.epoch = epoch;
            }
            List<LocalSgd.Part> parts = new ArrayList<>();
            for (int k = 0; k < shards; k++) {
                Module copy = SPEC.build(new Rng(0));
                copy.namedState().forEach((name, t) -> System.arraycopy(state.get(name), 0, t.data(), 0, t.size()));
                Optimizer opt = optimizers.apply(copy.parameters());
                optimizer.load(opt);
                List<Batch> batches = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    batches.add(epochs.get(k).hasNext() ? epochs.get(k).next() : null);
                }
                parts.add(LocalSgd.run(copy, opt, LOSS, batches, k, firstStep, 3, null, null, null));
            }
            return parts;
        }
    }

    @Test
    void oneLocalStepOfPlainSgdIsTheSynchronousStepUpToRounding() {
        Module synchronous = SPEC.build(new Rng(1));
        Trainer.builder(synchronous, new SGD(synchronous.parameters(), 0.1)).epochs(1).batchSize(64).seed(3)
                .shards(4).build().fit(TRAIN, null);
        Module local = SPEC.build(new Rng(1));
        Trainer.builder(local, new SGD(local.parameters(), 0.1)).epochs(1).build()
                .fit(new Workers(4, 1, p -> new SGD(p, 0.1)), null);
        // equal shards make the mean of the shards' mean gradients the batch's mean; only the last batch's differ
        synchronous.namedState().forEach((name, t) -> {
            float[] a = local.namedState().get(name).data();
            for (int j = 0; j < a.length; j++) {
                assertEquals(t.data()[j], a[j], 2e-3, name + " [" + j + "]");
            }
        });
    }

    @Test
    void roundsOfManyStepsTrainAndAverageAdamsMomentsToo() {
        Module model = SPEC.build(new Rng(1));
        Adam adam = new Adam(model.parameters(), 3e-3);
        History history = Trainer.builder(model, adam).epochs(4).build()
                .fit(new Workers(4, 8, p -> new Adam(p, 3e-3)), Digits.test());
        assertEquals(4 * 3, history.steps(), "23 batches an epoch in rounds of 8: 3 rounds");
        Module synchronous = SPEC.build(new Rng(1));
        double reference = Trainer.builder(synchronous, new Adam(synchronous.parameters(), 3e-3)).epochs(4)
                .batchSize(64).seed(3).shards(4).build().fit(TRAIN, Digits.test()).testAccuracy();
        System.out.println("local SGD, rounds of 8 steps: accuracy " + history.testAccuracy() + "; synchronous: "
                + reference);
        assertTrue(history.testAccuracy() > reference - 0.05, "accuracy " + history.testAccuracy() + " against "
                + reference);
        assertEquals(4 * 23, adam.stateDict().params().getFirst().step(), "each round's steps are counted once");
    }

    @Test
    void theAverageIsTheMeanOfTheWorkersThatStepped() {
        Module model = SPEC.build(new Rng(1));
        SGD sgd = new SGD(model.parameters(), 0.1);
        Map<String, float[]> a = new java.util.LinkedHashMap<>();
        Map<String, float[]> b = new java.util.LinkedHashMap<>();
        model.namedState().forEach((name, t) -> {
            a.put(name, new float[t.size()]);
            float[] twos = new float[t.size()];
            java.util.Arrays.fill(twos, 2f);
            b.put(name, twos);
        });
        LocalSgd.OptimizerState state = LocalSgd.OptimizerState.of(sgd);
        ShardGradients.Step round = LocalSgd.average(model, sgd, List.of(
                new LocalSgd.Part(0, 2, a, state, 4.0, 3, 8), new LocalSgd.Part(1, 2, b, state, 2.0, 1, 8),
                new LocalSgd.Part(2, 0, a, state, 0, 0, 0)));
        model.namedState().values().forEach(t -> assertArrayEquals(new float[t.size()], sub(t.data(), 1f)));
        assertEquals(6.0 / 16, round.loss(), 1e-12);
        assertEquals(4, round.correct());
    }

    private static float[] sub(float[] x, float v) {
        float[] out = x.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] -= v;
        }
        return out;
    }
}
