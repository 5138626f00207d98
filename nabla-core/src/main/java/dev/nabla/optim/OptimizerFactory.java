package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import java.io.Serializable;
import java.util.List;

/**
 * How to make an optimizer for a list of parameters: its kind and options, without the parameters. Serializable, so
 * that the workers of a distributed run can each make the optimizer of their own copy of the model.
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {
    /** A new optimizer over {@code params}. */
    Optimizer create(List<Tensor> params);

    /** The factory of {@code kind} with these options, as {@link OptimizerKind#create} takes them. */
    static OptimizerFactory of(OptimizerKind kind, double lr, double weightDecay, double momentum) {
        return params -> kind.create(params, lr, weightDecay, momentum);
    }
}
