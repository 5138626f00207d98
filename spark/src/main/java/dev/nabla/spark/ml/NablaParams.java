package dev.nabla.spark.ml;

import dev.nabla.nn.MlpSpec;
import dev.nabla.ops.Activation;
import dev.nabla.optim.OptimizerKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The network and training settings of {@link NablaClassifier} and {@link NablaRegressor} as Spark ML params, shared
 * with the models they fit (which keep the values they were trained with), so that all list, copy and save them as
 * Spark's own estimators do. The params themselves are each instance's ({@link #paramSet()}); the accessors here
 * return them, and the getters give a value or its default.
 */
public interface NablaParams extends Params {
    /** This instance's own params, made by its constructor: Spark ties a param to the instance that owns it. */
    ParamSet paramSet();

    /** Sizes of the hidden layers, outermost first (default [256]; empty: a linear model). */
    default IntArrayParam hiddenLayers() {
        return paramSet().hiddenLayers;
    }

    /** Activation after each hidden layer: relu, sigmoid, tanh or leaky_relu (default relu). */
    default Param<String> activation() {
        return paramSet().activation;
    }

    /** A BatchNorm1d between each hidden Linear and its activation (default false). */
    default BooleanParam batchNorm() {
        return paramSet().batchNorm;
    }

    /** Probability of a Dropout after each hidden activation, in [0, 1) (default 0: none). */
    default DoubleParam dropout() {
        return paramSet().dropout;
    }

    /** The optimizer: sgd, adam, adamw, rmsprop or adagrad (default adam). */
    default Param<String> optimizer() {
        return paramSet().optimizer;
    }

    /** The learning rate (not set: the optimizer's own, 0.001 for adam, 0.01 for sgd). */
    default DoubleParam lr() {
        return paramSet().lr;
    }

    /** The momentum of sgd and rmsprop (not set: 0.9 for sgd, 0 for rmsprop); the other optimizers take none. */
    default DoubleParam momentum() {
        return paramSet().momentum;
    }

    /** Samples per optimizer step, a multiple of {@link #shards()} (default 64). */
    default IntParam batchSize() {
        return paramSet().batchSize;
    }

    /** Passes over the training data (default 10). */
    default IntParam epochs() {
        return paramSet().epochs;
    }

    /** Seed of the initial weights, the shuffling and dropout's masks (default 0). */
    default LongParam seed() {
        return paramSet().seed;
    }

    /** Parts each batch is cut into, one Spark task each (default 4); the result does not depend on the executors. */
    default IntParam shards() {
        return paramSet().shards;
    }

    /** Largest global norm of the gradient, which is scaled down past it (not set: no clipping). */
    default DoubleParam clipNorm() {
        return paramSet().clipNorm;
    }

    /** The hidden layer sizes. */
    default int[] getHiddenLayers() {
        return getOrDefault(hiddenLayers()).clone();
    }

    /** The activation's name. */
    default String getActivation() {
        return getOrDefault(activation());
    }

    /** Whether hidden layers are batch-normalised. */
    default boolean getBatchNorm() {
        return (Boolean) getOrDefault(batchNorm());
    }

    /** The dropout probability. */
    default double getDropout() {
        return (Double) getOrDefault(dropout());
    }

    /** The optimizer's name. */
    default String getOptimizer() {
        return getOrDefault(optimizer());
    }

    /** The learning rate: the one set, else the optimizer's default. */
    default double getLr() {
        return isDefined(lr()) ? (Double) getOrDefault(lr()) : optimizerKind().defaultLr();
    }

    /** The momentum: the one set, else the optimizer's default (0 for those without one). */
    default double getMomentum() {
        return isDefined(momentum()) ? (Double) getOrDefault(momentum()) : optimizerKind().defaultMomentum();
    }

    /** The batch size. */
    default int getBatchSize() {
        return (Integer) getOrDefault(batchSize());
    }

    /** The number of epochs. */
    default int getEpochs() {
        return (Integer) getOrDefault(epochs());
    }

    /** The seed. */
    default long getSeed() {
        return (Long) getOrDefault(seed());
    }

    /** The number of shards. */
    default int getShards() {
        return (Integer) getOrDefault(shards());
    }

    /** The gradient norm's cap, or NaN when there is none. */
    default double getClipNorm() {
        return isDefined(clipNorm()) ? (Double) getOrDefault(clipNorm()) : Double.NaN;
    }

    /** The optimizer as nabla-core names it. */
    default OptimizerKind optimizerKind() {
        return OptimizerKind.valueOf(getOptimizer().toUpperCase(Locale.ROOT));
    }

    /**
     * The network these settings describe, for {@code inputs} features and {@code outputs} classes or targets.
     *
     * @throws IllegalArgumentException when a hidden layer size is not positive
     */
    default MlpSpec spec(int inputs, int outputs) {
        int[] hidden = getHiddenLayers();
        if (Arrays.stream(hidden).anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException("hiddenLayers " + Arrays.toString(hidden) + ": every hidden layer "
                    + "needs a positive size; set hiddenLayers to sizes such as [256] or [128, 64], or [] for none");
        }
        List<Integer> sizes = Arrays.stream(hidden).boxed().toList();
        return new MlpSpec(inputs, sizes, outputs, Activation.valueOf(getActivation().toUpperCase(Locale.ROOT)),
                MlpSpec.DEFAULT_INIT, getBatchNorm(), getDropout());
    }
}
