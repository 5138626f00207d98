package dev.nabla.train;

import dev.nabla.nn.Module;
import dev.nabla.ops.Checks;
import dev.nabla.tensor.Numbers;
import dev.nabla.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown when the model's output, the training loss or a gradient stops being finite, so that a diverged run stops
 * instead of training on NaN. The message names the step and where the value appeared.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long globalStep;
    private final transient History history;

    TrainingDivergedException(String message, long globalStep, History history) {
        super(message);
        this.globalStep = globalStep;
        this.history = history;
    }

    /**
     * The run stopped because {@code what} became {@code value} at a step: the message names it and what to do.
     *
     * @param where after the overall step, e.g. {@code "; first in sample 3, output 2"}, or empty
     */
    static TrainingDivergedException at(History history, double lr, String what, float value, int epoch, int step,
                                        long globalStep, String where) {
        return new TrainingDivergedException(what + " became " + Numbers.nonFinite(value) + " at epoch " + epoch
                + ", step " + step + " (step " + globalStep + " overall" + where + "): the updates are too large. "
                + "Lower the learning rate (now " + lr + "), clip the gradients, or check the input for NaN.",
                globalStep, history);
    }

    /**
     * The parameter whose gradient went non-finite first in the backward pass: the one nearest the output, since
     * backward runs from the output to the input and a NaN or ∞ spreads to every gradient computed after it.
     */
    static String firstNonFiniteGradient(Module model, List<Tensor> params) {
        Map<Tensor, String> names = new IdentityHashMap<>();
        model.namedParameters().forEach((name, p) -> names.put(p, name));
        for (int i = params.size() - 1; i >= 0; i--) {
            Tensor p = params.get(i);
            if (p.grad() != null && !Checks.allFinite(p.grad())) {
                return "parameter " + names.getOrDefault(p, "#" + i) + " " + p.shape();
            }
        }
        return "no single parameter (their squares overflowed the norm)";
    }

    /** The metrics of the steps and epochs completed before the run stopped. */
    public History history() {
        return history;
    }

    /** The 1-based step, counted over the whole run, at which the value turned non-finite. */
    public long globalStep() {
        return globalStep;
    }
}
