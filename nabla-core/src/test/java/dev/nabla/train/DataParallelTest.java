package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Data-parallel training: the shards' sums, their order, and a result that does not depend on who computed them. */
class DataParallelTest {
    private static final MlpSpec SPEC = new MlpSpec(64, List.of(32, 16), 10, Activation.RELU, Init.Scheme.DEFAULT,
            true, 0.2);
    private static final BiFunction<Tensor, Batch, Tensor> LOSS = (out, b) -> new CrossEntropyLoss().apply(out, b.y());
    private static final Dataset TRAIN = Digits.train().subset("digits/part",
            IntStream.range(0, 700).toArray());

    private static Module model(MlpSpec spec) {
        return spec.build(new Rng(3));
    }

    /**
     * What a cluster does, on threads: {@code executors} workers, each with its own copy of the model and only its
     * own shards' data ({@code k mod executors}), load the trainer's weights and buffers before every step and
     * compute their shards at the same time.
     */
    private static final class ThreadWorkers implements ShardWorkers, AutoCloseable {
        private final Module driver;
        private final int shards;
        private final List<Module> copies = new ArrayList<>();
        private final List<DataLoader> loaders = new ArrayList<>();
        private final List<Iterator<Batch>> epochs = new ArrayList<>();
        private final ExecutorService pool;
        private final long seed;
        private int epoch;

        ThreadWorkers(Module driver, int executors, int shards, int batchSize, long seed) {
            this.driver = driver;
            this.shards = shards;
            this.seed = seed;
            this.pool = Executors.newFixedThreadPool(executors);
            for (int e = 0; e < executors; e++) {
                copies.add(model(SPEC));
            }
            for (int k = 0; k < shards; k++) {
                loaders.add(ShardedLoader.shardLoader(ShardedLoader.shard(TRAIN, k, shards), k, batchSize, shards,
                        seed));
                epochs.add(null);
            }
        }

        @Override
        public ShardedData data() {
            return ShardedData.of(TRAIN, loaders.get(0).batchSize() * shards, shards);
        }

        @Override
        public List<ShardGradients> compute(int epoch, int batch, long globalStep) {
            if (epoch != this.epoch) {
                for (int k = 0; k < shards; k++) {
                    epochs.set(k, loaders.get(k).iterator());
                }
                this.epoch = epoch;
            }
            Map<String, Tensor> state = driver.stateDict();
            List<Future<List<ShardGradients>>> running = new ArrayList<>();
            for (int e = 0; e < copies.size(); e++) {
                int executor = e;
                running.add(pool.submit(() -> {
                    Module copy = copies.get(executor);
                    copy.loadStateDict(state, true);
                    copy.train();
                    List<ShardGradients> mine = new ArrayList<>();
                    for (int k = executor; k < shards; k += copies.size()) {
                        Iterator<Batch> own = epochs.get(k);
                        mine.add(ShardGradients.compute(copy, LOSS, own.hasNext() ? own.next() : null, k,
                                globalStep, seed));
                    }
                    return mine;
                }));
            }
            ShardGradients[] parts = new ShardGradients[shards];
            for (Future<List<ShardGradients>> r : running) {
                try {
                    r.get().forEach(p -> parts[p.shard()] = p);
                } catch (Exception ex) {
                    throw new IllegalStateException(ex);
                }
            }
            return List.of(parts);
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    private static Trainer.Builder trainer(Module model) {
        return Trainer.builder(model, new Adam(model.parameters(), 1e-3)).epochs(2).batchSize(64).seed(5);
    }

    @Test
    void theWeightsDoNotDependOnHowManyWorkersComputedTheShards() {
        Module here = model(SPEC);
        History local = trainer(here).shards(4).build().fit(TRAIN, null);
        for (int executors : new int[] {1, 2, 3}) {
            Module driver = model(SPEC);
            History spread;
            try (ThreadWorkers workers = new ThreadWorkers(driver, executors, 4, 64, 5)) {
                spread = trainer(driver).build().fit(workers, null);
            }
            assertArrayEquals(local.stepLosses(), spread.stepLosses(), "every step's loss, bit for bit");
            here.namedState().forEach((name, t) -> assertArrayEquals(t.data(), driver.namedState().get(name).data(),
                    name + " with " + executors + " workers"));
        }
    }

    @Test
    void theShardedGradientIsTheWholeBatchMeanUpToRounding() {
        MlpSpec plain = new MlpSpec(64, List.of(32), 10, Activation.TANH, Init.Scheme.DEFAULT);
        Batch batch = TRAIN.batch(IntStream.range(0, 64).toArray());
        Module whole = model(plain);
        LOSS.apply(whole.call(batch.x()), batch).backward();

        Module sharded = model(plain);
        List<ShardGradients> parts = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            parts.add(ShardGradients.compute(sharded, LOSS, TRAIN.batch(IntStream.range(16 * k, 16 * k + 16).toArray()),
                    k, 1, 0));
        }
        ShardGradients.Step step = ShardGradients.combine(sharded, parts);
        assertEquals(64, step.samples());
        List<Tensor> expected = whole.parameters();
        List<Tensor> actual = sharded.parameters();
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).grad().data();
            float[] a = actual.get(i).grad().data();
            for (int j = 0; j < e.length; j++) {
                assertEquals(e[j], a[j], 1e-6 + 1e-5 * Math.abs(e[j]), "parameter " + i + " [" + j + "]");
            }
        }
    }

    @Test
    void eachShardIsNormalisedByItsOwnStatisticsAndTheRunningOnesAreShard0s() {
        MlpSpec bn = new MlpSpec(64, List.of(32), 10, Activation.RELU, Init.Scheme.DEFAULT, true);
        Batch first = TRAIN.batch(IntStream.range(0, 16).toArray());
        Batch second = TRAIN.batch(IntStream.range(16, 32).toArray());
        Module alone = model(bn);
        alone.train();
        alone.call(first.x());
        Module sharded = model(bn);
        sharded.train();
        ShardGradients.combine(sharded, List.of(ShardGradients.compute(sharded, LOSS, first, 0, 1, 0),
                ShardGradients.compute(sharded, LOSS, second, 1, 1, 0)));
        alone.namedBuffers().forEach((name, b) -> assertArrayEquals(b.data(),
                sharded.namedBuffers().get(name).data(), name));

        ShardGradients secondOnItsOwn = ShardGradients.compute(model(bn), LOSS, second, 1, 1, 0);
        ShardGradients secondAfterFirst = ShardGradients.compute(model(bn), LOSS, second, 1, 1, 0);
        assertArrayEquals(secondOnItsOwn.sums()[0], secondAfterFirst.sums()[0]);
    }

    @Test
    void dropoutMasksAreKeyedByStepAndShardNotByWhatRanBefore() {
        Batch batch = TRAIN.batch(IntStream.range(0, 16).toArray());
        Module fresh = model(SPEC);
        fresh.train();
        Module used = model(SPEC);
        used.train();
        ShardGradients.compute(used, LOSS, TRAIN.batch(IntStream.range(100, 116).toArray()), 0, 7, 9);
        used.loadStateDict(fresh.stateDict(), true);
        ShardGradients a = ShardGradients.compute(fresh, LOSS, batch, 2, 8, 9);
        ShardGradients b = ShardGradients.compute(used, LOSS, batch, 2, 8, 9);
        for (int i = 0; i < a.sums().length; i++) {
            assertArrayEquals(a.sums()[i], b.sums()[i], "parameter " + i);
        }
        ShardGradients otherStep = ShardGradients.compute(fresh, LOSS, batch, 2, 9, 9);
        assertNotEquals(a.lossSum(), otherStep.lossSum(), "another step draws other masks");
    }

    @Test
    void shardedTrainingLearnsAsWellAsUnsharded() {
        Dataset test = Digits.test();
        Module sharded = model(SPEC);
        double withShards = Trainer.builder(sharded, new Adam(sharded.parameters(), 3e-3)).epochs(10).shards(4)
                .build().fit(Digits.train(), test).finalTest().accuracy();
        Module whole = model(SPEC);
        double without = Trainer.builder(whole, new Adam(whole.parameters(), 3e-3)).epochs(10).build()
                .fit(Digits.train(), test).finalTest().accuracy();
        assertTrue(withShards > 0.9 && Math.abs(withShards - without) < 0.03, withShards + " vs " + without);
    }

    @Test
    void shardsThatDoNotFitTheBatchOrComeWithAccumulationAreRefusedWithTheFix() {
        Module model = model(SPEC);
        var uneven = assertThrows(IllegalStateException.class,
                () -> Trainer.builder(model, new SGD(model.parameters(), 0.1)).batchSize(30).shards(4).build());
        assertTrue(uneven.getMessage().contains("multiple of the shards"), uneven.getMessage());
        var accumulating = assertThrows(IllegalStateException.class, () -> Trainer.builder(model,
                new SGD(model.parameters(), 0.1)).shards(2).accumulate(2).build());
        assertTrue(accumulating.getMessage().contains("give a larger batch"), accumulating.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model, new SGD(model.parameters(), 0.1))
                .shards(0));
    }
}
