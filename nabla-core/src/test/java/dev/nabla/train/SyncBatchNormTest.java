package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.ops.Activation;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Synchronised BatchNorm: the shards of a step together compute what one pass over the whole batch computes. */
class SyncBatchNormTest {
    private static final MlpSpec SPEC = new MlpSpec(64, List.of(32, 16), 10, Activation.RELU, Init.Scheme.DEFAULT,
            true);
    private static final BiFunction<Tensor, Batch, Tensor> LOSS = (out, b) -> new CrossEntropyLoss().apply(out, b.y());
    private static final Dataset DATA = Digits.train();

    /** Runs the rounds of one step over {@code shards} parts of the first 64 samples; returns the passes per shard. */
    private static int syncedStep(Module model, int shards) {
        int part = 64 / shards;
        List<Batch> batches = IntStream.range(0, shards)
                .mapToObj(k -> DATA.batch(IntStream.range(k * part, (k + 1) * part).toArray())).toList();
        List<Tensor> buffers = List.copyOf(model.namedBuffers().values());
        List<float[]> start = buffers.stream().map(b -> b.data().clone()).toList();
        int rounds = 0;
        for (SyncBatchNorm.Known known = SyncBatchNorm.Known.NOTHING; ; ) {
            rounds++;
            List<SyncBatchNorm.Pass> passes = new ArrayList<>();
            for (int k = 0; k < shards; k++) {
                for (int i = 0; i < buffers.size(); i++) {
                    System.arraycopy(start.get(i), 0, buffers.get(i).data(), 0, start.get(i).length);
                }
                passes.add(SyncBatchNorm.pass(model, LOSS, batches.get(k), k, 1, 0, known));
            }
            known = SyncBatchNorm.next(known, passes);
            if (known == null) {
                ShardGradients.combine(model, SyncBatchNorm.parts(passes));
                return rounds;
            }
        }
    }

    /** The network after one forward and backward pass over the first 64 samples together, in training mode. */
    private static Module wholeBatchStep() {
        Module whole = SPEC.build(new Rng(2));
        whole.train();
        Batch batch = DATA.batch(IntStream.range(0, 64).toArray());
        LOSS.apply(whole.call(batch.x()), batch).backward();
        return whole;
    }

    @Test
    void theShardsGradientsAndRunningStatisticsAreTheWholeBatchsUpToRounding() {
        Module whole = wholeBatchStep();

        Module sharded = SPEC.build(new Rng(2));
        sharded.train();
        assertEquals(5, syncedStep(sharded, 4), "2 BatchNorm layers: 2 forward rounds, 2 backward, 1 through");
        List<Tensor> expected = whole.parameters();
        List<Tensor> actual = sharded.parameters();
        for (int i = 0; i < expected.size(); i++) {
            float[] e = expected.get(i).grad().data();
            float[] a = actual.get(i).grad().data();
            for (int j = 0; j < e.length; j++) {
                assertEquals(e[j], a[j], 2e-6 + 1e-4 * Math.abs(e[j]), "parameter " + i + " [" + j + "]");
            }
        }
        whole.namedBuffers().forEach((name, b) -> {
            float[] a = sharded.namedBuffers().get(name).data();
            for (int j = 0; j < a.length; j++) {
                assertEquals(b.data()[j], a[j], 1e-5 + 1e-5 * Math.abs(b.data()[j]), name + " [" + j + "]");
            }
        });
    }

    @Test
    void withoutSyncEachShardIsNormalisedByItsOwnStatistics() {
        Module whole = wholeBatchStep();
        Module sharded = SPEC.build(new Rng(2));
        sharded.train();
        List<ShardGradients> parts = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            parts.add(ShardGradients.compute(sharded, LOSS, DATA.batch(IntStream.range(16 * k, 16 * k + 16)
                    .toArray()), k, 1, 0));
        }
        ShardGradients.combine(sharded, parts);
        float[] e = whole.parameters().getFirst().grad().data();
        float[] a = sharded.parameters().getFirst().grad().data();
        double largest = 0;
        double difference = 0;
        for (int j = 0; j < e.length; j++) {
            largest = Math.max(largest, Math.abs(e[j]));
            difference = Math.max(difference, Math.abs(e[j] - a[j]));
        }
        assertTrue(difference > 0.01 * largest, "per-shard statistics give another gradient: " + difference
                + " of " + largest);
    }

    @Test
    void aModelWithoutBatchNormGoesThroughInOneRound() {
        MlpSpec plain = new MlpSpec(64, List.of(32), 10, Activation.RELU, Init.Scheme.DEFAULT);
        Module model = plain.build(new Rng(2));
        SyncBatchNorm.Pass pass = SyncBatchNorm.pass(model, LOSS, DATA.batch(new int[] {0, 1, 2}), 0, 1, 0,
                SyncBatchNorm.Known.NOTHING);
        assertNull(SyncBatchNorm.next(SyncBatchNorm.Known.NOTHING, List.of(pass)));
        assertEquals(3, pass.part().samples());
    }

    @Test
    void theTrainerRefusesSyncWithoutShards() {
        Module model = SPEC.build(new Rng(2));
        var e = assertThrows(IllegalStateException.class, () -> Trainer.builder(model,
                new SGD(model.parameters(), 0.1)).syncBatchNorm(true).build());
        assertEquals("syncBatchNorm shares statistics across shards: set shards too", e.getMessage());
    }
}
