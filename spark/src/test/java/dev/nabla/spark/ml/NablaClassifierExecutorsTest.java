package dev.nabla.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.data.Digits;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.Adam;
import dev.nabla.spark.LocalSpark;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Trainer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A fit's weights depend on the rows and the params, not on Spark: the same bits on one executor thread and on two,
 * and those of nabla-core's sharded training on one machine.
 */
class NablaClassifierExecutorsTest {
    private static NablaClassifier classifier() {
        return new NablaClassifier().setHiddenLayers(32).setBatchNorm(true).setDropout(0.2).setLr(0.003)
                .setEpochs(2).setSeed(5);
    }

    private static Map<String, float[]> fitOn(LocalSpark master) {
        try (LocalSpark spark = master.start()) {
            return classifier().fit(DigitsFrames.vectors(spark.session(), Digits.train())).weights();
        }
    }

    @Test
    void oneAndTwoExecutorThreadsGiveTheWeightsOfTheShardedRunOnOneMachine() {
        Map<String, float[]> one = fitOn(LocalSpark.threads(1));
        Map<String, float[]> two = fitOn(LocalSpark.threads(2));
        MlpSpec spec = classifier().spec(64, 10);
        Module here = spec.build(new Rng(5));
        Trainer.builder(here, new Adam(here.parameters(), 0.003)).epochs(2).batchSize(64).seed(5).shards(4).build()
                .fit(Digits.train(), null);
        Map<String, Tensor> expected = here.namedState();
        assertEquals(expected.keySet(), one.keySet());
        expected.forEach((name, t) -> {
            assertArrayEquals(t.data(), one.get(name), name + " on local[1]");
            assertArrayEquals(t.data(), two.get(name), name + " on local[2]");
        });
    }
}
