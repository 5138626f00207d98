package dev.nabla.spark.ml;

import dev.nabla.loss.RegressionLoss;
import dev.nabla.loss.RegressionLossKind;
import java.util.Locale;
import org.apache.spark.ml.param.Param;

/** The params of {@link NablaRegressor} and its model: {@link NablaParams} and the loss. */
public interface NablaRegressorParams extends NablaParams {
    /** The loss on the standardized label: mse, l1, huber or smooth_l1 (default mse; δ and β are 1). */
    default Param<String> loss() {
        return paramSet().loss;
    }

    /** The loss's name. */
    default String getLoss() {
        return getOrDefault(loss());
    }

    /** The loss itself. */
    default RegressionLoss regressionLoss() {
        return RegressionLossKind.valueOf(getLoss().toUpperCase(Locale.ROOT)).create(Double.NaN);
    }
}
