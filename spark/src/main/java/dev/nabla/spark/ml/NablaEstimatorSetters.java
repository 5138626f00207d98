package dev.nabla.spark.ml;

/**
 * The setters of {@link NablaParams} on an estimator ({@link NablaClassifier}, {@link NablaRegressor}), each
 * returning the estimator so that calls chain as on Spark's own estimators.
 *
 * @param <E> the estimator
 */
public interface NablaEstimatorSetters<E extends NablaEstimatorSetters<E>> extends NablaParams {
    /** Sets the hidden layer sizes, outermost first. */
    default E setHiddenLayers(int... sizes) {
        set(hiddenLayers(), sizes.clone());
        return self();
    }

    /** Sets the activation: relu, sigmoid, tanh or leaky_relu. */
    default E setActivation(String name) {
        set(activation(), name);
        return self();
    }

    /** Batch-normalises the hidden layers, or not. */
    default E setBatchNorm(boolean on) {
        set(batchNorm(), on);
        return self();
    }

    /** Sets the dropout probability after each hidden activation. */
    default E setDropout(double probability) {
        set(dropout(), probability);
        return self();
    }

    /** Sets the optimizer: sgd, adam, adamw, rmsprop or adagrad. */
    default E setOptimizer(String name) {
        set(optimizer(), name);
        return self();
    }

    /** Sets the learning rate. */
    default E setLr(double lr) {
        set(lr(), lr);
        return self();
    }

    /** Sets the momentum of sgd or rmsprop. */
    default E setMomentum(double momentum) {
        set(momentum(), momentum);
        return self();
    }

    /** Sets the samples per optimizer step, a multiple of the shards. */
    default E setBatchSize(int samples) {
        set(batchSize(), samples);
        return self();
    }

    /** Sets the number of passes over the data. */
    default E setEpochs(int epochs) {
        set(epochs(), epochs);
        return self();
    }

    /** Sets the seed of the weights, the shuffling and dropout. */
    default E setSeed(long seed) {
        set(seed(), seed);
        return self();
    }

    /** Sets the number of shards each batch is cut into. */
    default E setShards(int shards) {
        set(shards(), shards);
        return self();
    }

    /** Caps the gradient's global norm. */
    default E setClipNorm(double maxNorm) {
        set(clipNorm(), maxNorm);
        return self();
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }
}
