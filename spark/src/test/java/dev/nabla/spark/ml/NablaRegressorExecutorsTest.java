package dev.nabla.spark.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.data.Dataset;
import dev.nabla.data.Standardization;
import dev.nabla.loss.HuberLoss;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.Adam;
import dev.nabla.spark.LocalSpark;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.Trainer;
import java.util.Map;
import org.apache.spark.ml.feature.VectorAssembler;
import org.junit.jupiter.api.Test;

/**
 * A regressor's fit depends on the rows and the params, not on Spark: the same standardization and weights on one
 * executor thread and on two, and those of nabla-core's sharded training on the rows standardized the same way.
 */
class NablaRegressorExecutorsTest {
    private static final double[][] ROWS = RegressionFrames.rows(600, 4);

    private static NablaRegressor regressor() {
        return new NablaRegressor().setHiddenLayers(32).setBatchNorm(true).setDropout(0.1).setLoss("huber")
                .setLr(0.003).setEpochs(2).setSeed(5).setLabelCol("y");
    }

    private static NablaRegressionModel fitOn(LocalSpark master) {
        try (LocalSpark spark = master.start()) {
            return regressor().fit(new VectorAssembler().setInputCols(RegressionFrames.FEATURES)
                    .setOutputCol("features").transform(RegressionFrames.frame(spark.session(), ROWS)));
        }
    }

    @Test
    void oneAndTwoExecutorThreadsGiveTheWeightsOfTheShardedRunOnOneMachine() {
        NablaRegressionModel one = fitOn(LocalSpark.threads(1));
        NablaRegressionModel two = fitOn(LocalSpark.threads(2));
        assertEquals(one.featureScaling(), two.featureScaling());
        assertEquals(one.labelScaling(), two.labelScaling());
        Dataset data = RegressionFrames.dataset(ROWS);
        Standardization whole = Standardization.ofTargets(data);
        assertEquals(whole.mean()[0], one.labelScaling().mean()[0], 1e-4 * Math.abs(whole.mean()[0]),
                "the label's mean, added shard by shard");
        assertEquals(whole.std(0), one.labelScaling().std(0), 1e-4 * whole.std(0));

        MlpSpec spec = regressor().spec(5, 1);
        Module here = spec.build(new Rng(5));
        Trainer.builder(here, new Adam(here.parameters(), 0.003)).epochs(2).batchSize(64).seed(5).shards(4)
                .regressionLoss(new HuberLoss()).build()
                .fit(data.standardized(one.featureScaling(), one.labelScaling()), null);
        Map<String, Tensor> expected = here.namedState();
        Map<String, float[]> oneWeights = one.weights();
        Map<String, float[]> twoWeights = two.weights();
        assertEquals(expected.keySet(), oneWeights.keySet());
        expected.forEach((name, t) -> {
            assertArrayEquals(t.data(), oneWeights.get(name), name + " on local[1]");
            assertArrayEquals(t.data(), twoWeights.get(name), name + " on local[2]");
        });
    }
}
