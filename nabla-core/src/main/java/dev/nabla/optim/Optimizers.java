package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * What {@link OptimizerKind} does for each kind, kept apart because inside that enum the constant {@code SGD}
 * hides the class {@link SGD}.
 */
final class Optimizers {
    private Optimizers() {
    }

    static double defaultLr(OptimizerKind kind) {
        return switch (kind) {
            case SGD -> OptimizerKind.SGD_LR;
            case ADAM -> Adam.DEFAULT_LR;
            case ADAMW -> AdamW.DEFAULT_LR;
            case RMSPROP -> RMSprop.DEFAULT_LR;
            case ADAGRAD -> Adagrad.DEFAULT_LR;
        };
    }

    static double defaultWeightDecay(OptimizerKind kind) {
        return switch (kind) {
            case SGD -> SGD.DEFAULT_WEIGHT_DECAY;
            case ADAM -> Adam.DEFAULT_WEIGHT_DECAY;
            case ADAMW -> AdamW.DEFAULT_WEIGHT_DECAY;
            case RMSPROP, ADAGRAD -> 0;
        };
    }

    static Optimizer create(OptimizerKind kind, List<Tensor> params, double lr, double weightDecay, double momentum) {
        return switch (kind) {
            case SGD -> new SGD(params, lr, SGD.Options.defaults().withMomentum(momentum).withWeightDecay(weightDecay));
            case ADAM -> new Adam(params, lr, Adam.Options.defaults().withWeightDecay(weightDecay));
            case ADAMW -> new AdamW(params, lr, AdamW.defaultOptions().withWeightDecay(weightDecay));
            case RMSPROP -> new RMSprop(params, lr, RMSprop.Options.defaults().withWeightDecay(weightDecay)
                    .withMomentum(momentum));
            case ADAGRAD -> new Adagrad(params, lr, Adagrad.Options.defaults().withWeightDecay(weightDecay));
        };
    }
}
