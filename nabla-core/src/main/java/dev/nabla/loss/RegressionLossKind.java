package dev.nabla.loss;

import dev.nabla.ops.Reduction;
import java.util.Locale;

/**
 * The regression losses by name, for command lines and estimators' settings: each the mean over every value, and a
 * way to build it. {@link #toString()} is the name the command line takes.
 */
public enum RegressionLossKind {
    /** {@link MSELoss}. */
    MSE,
    /** {@link L1Loss}. */
    L1,
    /** {@link HuberLoss}, with δ. */
    HUBER,
    /** {@link SmoothL1Loss}, with β. */
    SMOOTH_L1;

    /** The regression loss used when none is named: the mean squared error. */
    public static final RegressionLossKind DEFAULT = MSE;

    /** True for the losses that take a parameter: Huber's δ and smooth L1's β. */
    public boolean hasParameter() {
        return this == HUBER || this == SMOOTH_L1;
    }

    /**
     * The loss, mean over every value.
     *
     * @param parameter Huber's δ or smooth L1's β, or NaN for their default, 1 (PyTorch's); ignored by the others
     */
    public RegressionLoss create(double parameter) {
        return switch (this) {
            case MSE -> new MSELoss();
            case L1 -> new L1Loss();
            case HUBER -> new HuberLoss(Reduction.MEAN, Double.isNaN(parameter) ? HuberLoss.DEFAULT_DELTA : parameter);
            case SMOOTH_L1 -> new SmoothL1Loss(Reduction.MEAN, Double.isNaN(parameter) ? SmoothL1Loss.DEFAULT_BETA
                    : parameter);
        };
    }

    /** The name the command line takes: {@code mse}, {@code l1}, {@code huber}, {@code smooth_l1}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
