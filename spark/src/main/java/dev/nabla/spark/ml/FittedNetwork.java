package dev.nabla.spark.ml;

import dev.nabla.data.Standardization;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.tensor.StepMemory;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;

/**
 * A fitted model's network: its spec and trained weights and buffers by name, never changed (copies go out), and,
 * built on first use, the network on the driver for one row at a time; whole partitions go through
 * {@link BatchPredict} on the executors.
 */
final class FittedNetwork implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final MlpSpec spec;
    private final Map<String, float[]> weights;
    private transient Module driver;

    FittedNetwork(MlpSpec spec, Map<String, float[]> weights) {
        this.spec = spec;
        this.weights = new LinkedHashMap<>(weights);
    }

    MlpSpec spec() {
        return spec;
    }

    /** The weights themselves, for what only reads them. */
    Map<String, float[]> weights() {
        return weights;
    }

    /** Copies of the weights. */
    Map<String, float[]> copyOfWeights() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        weights.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /**
     * The network's outputs for one row's features vector, computed on the driver.
     *
     * @param scaling the features' standardization (a regression model's), or null
     */
    synchronized double[] outputs(Vector features, String featuresCol, Standardization scaling) {
        if (driver == null) {
            driver = BatchPredict.network(spec, weights);
        }
        float[] x = new float[spec.inputs()];
        BatchPredict.features(features, x, 0, spec.inputs(), featuresCol);
        return BatchPredict.logits(driver, scaling == null ? x : scaling.apply(x), 1, spec.inputs(), spec.outputs(),
                new StepMemory())[0];
    }
}
