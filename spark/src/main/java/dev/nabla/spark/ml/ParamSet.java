package dev.nabla.spark.ml;

import dev.nabla.loss.RegressionLossKind;
import dev.nabla.nn.MlpSpec;
import dev.nabla.ops.Activation;
import dev.nabla.optim.OptimizerKind;
import dev.nabla.train.Trainer;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * One instance's {@link NablaParams}, owned by it (a Spark param belongs to one instance's uid) and given their
 * defaults. Each estimator and model makes one in its constructor and returns it from {@link NablaParams#paramSet()};
 * the params are reached through that interface's accessors. A classifier's set has {@code classes}, a regressor's
 * {@code loss}.
 */
public final class ParamSet implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    /** The hidden layers when none are set. */
    static final int DEFAULT_HIDDEN = 256;
    /** The shards when none are set. */
    static final int DEFAULT_SHARDS = 4;

    final IntArrayParam hiddenLayers;
    final Param<String> activation;
    final BooleanParam batchNorm;
    final DoubleParam dropout;
    final Param<String> optimizer;
    final DoubleParam lr;
    final DoubleParam momentum;
    final IntParam batchSize;
    final IntParam epochs;
    final LongParam seed;
    final IntParam shards;
    final DoubleParam clipNorm;
    /** A classifier's number of classes; null for a regressor. */
    final IntParam classes;
    /** A regressor's loss; null for a classifier. */
    final Param<String> loss;

    /** The params of a classifier (or a classification model) {@code owner}. */
    static ParamSet classifier(Params owner) {
        return new ParamSet(owner, true);
    }

    /** The params of a regressor (or a regression model) {@code owner}. */
    static ParamSet regressor(Params owner) {
        return new ParamSet(owner, false);
    }

    private ParamSet(Params owner, boolean classifier) {
        hiddenLayers = new IntArrayParam(owner, "hiddenLayers", "sizes of the hidden layers, outermost first "
                + "(empty: a linear model)");
        activation = new Param<>(owner, "activation", "activation after each hidden layer: "
                + names(Activation.values()), ParamValidators.inArray(names(Activation.values())));
        batchNorm = new BooleanParam(owner, "batchNorm", "a BatchNorm1d between each hidden Linear and its activation");
        dropout = new DoubleParam(owner, "dropout", "probability of a Dropout after each hidden activation, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        optimizer = new Param<>(owner, "optimizer", "the optimizer: " + names(OptimizerKind.values()),
                ParamValidators.inArray(names(OptimizerKind.values())));
        lr = new DoubleParam(owner, "lr", "learning rate (> 0; not set: the optimizer's default)",
                ParamValidators.gt(0));
        momentum = new DoubleParam(owner, "momentum", "momentum of sgd and rmsprop (>= 0; not set: the optimizer's "
                + "default)", ParamValidators.gtEq(0));
        batchSize = new IntParam(owner, "batchSize", "samples per optimizer step, a multiple of shards (> 0)",
                ParamValidators.gt(0));
        epochs = new IntParam(owner, "epochs", "passes over the training data (> 0)", ParamValidators.gt(0));
        seed = new LongParam(owner, "seed", "seed of the initial weights, the shuffling and dropout's masks");
        shards = new IntParam(owner, "shards", "parts each batch is cut into, one Spark task each (> 0)",
                ParamValidators.gt(0));
        clipNorm = new DoubleParam(owner, "clipNorm", "largest global gradient norm (> 0; not set: no clipping)",
                ParamValidators.gt(0));
        classes = !classifier ? null : new IntParam(owner, "classes", "number of classes C, labels 0..C-1 (> 0; not "
                + "set: the label column's nominal metadata, else the largest label + 1)", ParamValidators.gt(0));
        loss = classifier ? null : new Param<>(owner, "loss", "the loss on the standardized label: "
                + names(RegressionLossKind.values()) + " (huber's δ and smooth_l1's β are 1)",
                ParamValidators.inArray(names(RegressionLossKind.values())));
        owner.setDefault(hiddenLayers, new int[] {DEFAULT_HIDDEN});
        owner.setDefault(activation, MlpSpec.DEFAULT_ACTIVATION.toString());
        owner.setDefault(batchNorm, false);
        owner.setDefault(dropout, 0.0);
        owner.setDefault(optimizer, OptimizerKind.DEFAULT.toString());
        owner.setDefault(batchSize, Trainer.DEFAULT_BATCH_SIZE);
        owner.setDefault(epochs, Trainer.DEFAULT_EPOCHS);
        owner.setDefault(seed, Trainer.DEFAULT_SEED);
        owner.setDefault(shards, DEFAULT_SHARDS);
        if (loss != null) {
            owner.setDefault(loss, RegressionLossKind.DEFAULT.toString());
        }
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Object::toString).toList();
    }
}
