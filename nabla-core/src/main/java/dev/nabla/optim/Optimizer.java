package dev.nabla.optim;

import dev.nabla.ops.Checks;
import dev.nabla.tensor.Tensor;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Updates a fixed list of parameters from their gradients, one {@link #step()} per batch (PyTorch's
 * {@code torch.optim.Optimizer}, with a single parameter group).
 *
 * <p>Order of use, every batch:
 * <pre>{@code
 * optimizer.zeroGrad();   // clear the gradients of the previous batch
 * loss.backward();        // fill each parameter's grad()
 * optimizer.step();       // update the parameters in place
 * }</pre>
 *
 * <p>{@link #step()} writes into each parameter's {@link Tensor#data()} in place and reads its {@link Tensor#grad()};
 * a parameter whose gradient is {@code null} is skipped and its optimizer state (momentum, moments, step count)
 * does not advance, as in PyTorch. The state is allocated once, in the constructor, and reused by every step.
 * The learning rate is read afresh at every step, so a schedule may change it between steps with
 * {@link #setLr(double)}. Not thread-safe.
 */
public abstract class Optimizer {
    private final List<Tensor> params;
    private double lr;

    /**
     * Checks and keeps the parameters (in their order) and the learning rate.
     *
     * @param params the leaf tensors to update, each once, each with {@code requiresGrad()}; not modified here
     * @param lr     the learning rate, finite and {@code >= 0}
     * @throws IllegalArgumentException if {@code params} is empty, holds a null, a tensor that does not require
     *                                  a gradient, a non-leaf, or the same tensor twice; or if {@code lr} is
     *                                  negative or not finite
     */
    protected Optimizer(List<Tensor> params, double lr) {
        Objects.requireNonNull(params, "params");
        if (params.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName()
                    + " got an empty parameter list: pass the tensors to train, e.g. model.parameters()");
        }
        Map<Tensor, Integer> seen = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new IllegalArgumentException("parameter " + i + " is null");
            }
            if (!p.requiresGrad()) {
                throw new IllegalArgumentException("parameter " + i + " (shape " + p.shape()
                        + ") does not require a gradient: call requiresGrad(true) on it, or leave it out");
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException("parameter " + i + " (shape " + p.shape() + ") is not a leaf (made by "
                        + p.gradFn().name() + "): an optimizer updates leaf tensors only");
            }
            Integer first = seen.putIfAbsent(p, i);
            if (first != null) {
                throw new IllegalArgumentException("parameter " + i + " is the same tensor as parameter " + first
                        + ": list each parameter once, or it would be updated twice per step");
            }
        }
        this.params = List.copyOf(params);
        this.lr = Checks.nonNegative("lr", lr);
    }

    /** Sets every parameter's gradient to zero, keeping its buffer; parameters without a gradient stay so. */
    public void zeroGrad() {
        for (Tensor p : params) {
            p.zeroGrad();
        }
    }

    /**
     * Updates every parameter that has a gradient, in place, by this optimizer's rule (see the subclass).
     * Parameters whose {@code grad()} is {@code null} are skipped.
     */
    public abstract void step();

    /** The parameters, in the order given to the constructor (an unmodifiable list). */
    public List<Tensor> parameters() {
        return params;
    }

    /** The learning rate used by the next {@link #step()}. */
    public double lr() {
        return lr;
    }

    /**
     * Sets the learning rate for the following steps (schedules call this between steps).
     *
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     */
    public void setLr(double lr) {
        this.lr = Checks.nonNegative("lr", lr);
    }
}
