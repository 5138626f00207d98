package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.loss.MSELoss;
import dev.nabla.loss.RegressionLoss;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.train.History;
import dev.nabla.train.Trainer;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Synchronous data-parallel training on Spark: the weights of a single machine's sharded run, bit for bit, on any
 * number of executors and when a task fails once.
 */
class SparkShardsTest {
    private static final MlpSpec SPEC = new MlpSpec(64, List.of(32), 10, Activation.RELU, Init.Scheme.DEFAULT,
            true, 0.2);
    private static final Dataset TRAIN = Digits.train();

    static JavaSparkContext spark(String master) {
        return new JavaSparkContext(new SparkConf().setMaster(master).setAppName("nabla test")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false"));
    }

    private static Trainer trainer(Module model) {
        return Trainer.builder(model, new Adam(model.parameters(), 3e-3)).epochs(2).batchSize(64).seed(7).build();
    }

    private static History onSpark(String master, Module model, boolean sync) {
        try (JavaSparkContext spark = spark(master);
             SparkShards shards = new SparkShards(spark, TRAIN, null, model, SPEC, 64, 4, 7, sync)) {
            return trainer(model).fit(shards, Digits.test());
        }
    }

    private static void assertSameWeights(Module expected, Module actual, String what) {
        Map<String, dev.nabla.tensor.Tensor> state = actual.namedState();
        expected.namedState().forEach((name, t) -> assertArrayEquals(t.data(), state.get(name).data(),
                name + " " + what));
    }

    @Test
    void oneTwoAndFourExecutorsGiveTheWeightsOfTheShardedRunOnOneMachine() {
        Module here = SPEC.build(new Rng(1));
        History local = Trainer.builder(here, new Adam(here.parameters(), 3e-3)).epochs(2).batchSize(64).seed(7)
                .shards(4).build().fit(TRAIN, Digits.test());
        assertTrue(local.testAccuracy() > 0.85, "accuracy " + local.testAccuracy());
        for (String master : new String[] {"local[1]", "local[2]", "local[4]"}) {
            Module model = SPEC.build(new Rng(1));
            History spread = onSpark(master, model, false);
            assertArrayEquals(local.stepLosses(), spread.stepLosses(), "every step's loss on " + master);
            assertSameWeights(here, model, "on " + master);
            assertEquals(local.testAccuracy(), spread.testAccuracy(), 0.0);
        }
    }

    @Test
    void withSynchronisedBatchNormOneAndTwoExecutorsGiveTheWeightsOfTheSameRoundsOnOneMachine() {
        Module here = SPEC.build(new Rng(1));
        History local = Trainer.builder(here, new Adam(here.parameters(), 3e-3)).epochs(1).batchSize(64).seed(7)
                .shards(4).syncBatchNorm(true).build().fit(TRAIN, Digits.test());
        for (String master : new String[] {"local[1]", "local[2]"}) {
            Module model = SPEC.build(new Rng(1));
            History spread;
            try (JavaSparkContext spark = spark(master);
                 SparkShards shards = new SparkShards(spark, TRAIN, null, model, SPEC, 64, 4, 7, true)) {
                spread = Trainer.builder(model, new Adam(model.parameters(), 3e-3)).epochs(1).batchSize(64).seed(7)
                        .build().fit(shards, Digits.test());
            }
            assertArrayEquals(local.stepLosses(), spread.stepLosses(), "every step's loss on " + master);
            assertSameWeights(here, model, "on " + master);
        }
    }

    @Test
    void aTaskThatFailsOnceIsRunAgainAndTheResultIsTheSame() {
        Module expected = SPEC.build(new Rng(1));
        Trainer.builder(expected, new Adam(expected.parameters(), 3e-3)).epochs(2).batchSize(64).seed(7).shards(4)
                .build().fit(TRAIN, null);
        System.setProperty(SparkShards.FAIL_ONCE, "5:2");
        try {
            Module model = SPEC.build(new Rng(1));
            onSpark("local[2,2]", model, false);
            assertSameWeights(expected, model, "after a retried task");
        } finally {
            System.clearProperty(SparkShards.FAIL_ONCE);
        }
    }

    @Test
    void aLossThatDoesNotSuitTheDataOrCannotTravelIsRefusedBeforeAnyStep() {
        Dataset regression = Dataset.regression("uv", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, Shape.of(2),
                new float[] {1, 2, 3, 4}, 1);
        Module model = SPEC.build(new Rng(1));
        try (JavaSparkContext spark = spark("local[1]")) {
            var noLoss = assertThrows(IllegalArgumentException.class,
                    () -> new SparkShards(spark, regression, null, model, SPEC, 4, 2, 7, false));
            assertTrue(noLoss.getMessage().contains("uv has numeric targets: give a regression loss"),
                    noLoss.getMessage());
            var extra = assertThrows(IllegalArgumentException.class,
                    () -> new SparkShards(spark, TRAIN, new MSELoss(), model, SPEC, 64, 4, 7, false));
            assertTrue(extra.getMessage().contains("has class labels"), extra.getMessage());
            RegressionLoss local = (out, target) -> out;
            var stays = assertThrows(IllegalArgumentException.class,
                    () -> new SparkShards(spark, regression, local, model, SPEC, 4, 2, 7, false));
            assertTrue(stays.getMessage().contains("cannot be sent to the executors: use MSELoss"),
                    stays.getMessage());
        }
        ShardData second = ShardData.cut(regression, 2).get(1);
        assertArrayEquals(new float[] {3, 4, 7, 8}, second.features());
        assertArrayEquals(new float[] {2, 4}, second.dataset().targets());
    }
}
