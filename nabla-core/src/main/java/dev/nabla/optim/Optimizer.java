package dev.nabla.optim;

import dev.nabla.ops.Checks;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 *
 * <p>{@link #stateDict()} gives what the optimizer has accumulated (momentum buffers, moments, step counts) under
 * PyTorch's names, and {@link #loadStateDict} sets it back, so a checkpoint resumes a run exactly.
 */
public abstract class Optimizer {
    private final List<Tensor> params;
    private double lr;
    private double initialLr = Double.NaN;
    /** The steps each parameter has taken (advanced by the optimizers that count them: Adam, RMSprop, Adagrad). */
    private final long[] steps;

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
        this.steps = new long[params.size()];
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

    /**
     * The rate the first learning-rate schedule on this optimizer found (PyTorch's {@code initial_lr}), the base
     * of every schedule on it; taken from the current rate by the first schedule that asks.
     */
    double initialLr() {
        if (Double.isNaN(initialLr)) {
            initialLr = lr;
        }
        return initialLr;
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

    /**
     * What an optimizer keeps for one parameter: the steps it has taken (the t of Adam's bias correction; 0 for SGD,
     * which counts none) and its buffers by PyTorch's names ({@code momentum_buffer}; {@code exp_avg},
     * {@code exp_avg_sq}, {@code max_exp_avg_sq}), each of the parameter's shape. A parameter that has not been
     * stepped yet has no buffers, as in PyTorch, whose state starts empty.
     */
    public record ParamState(long step, Map<String, Tensor> buffers) {
        public ParamState {
            if (step < 0) {
                throw new IllegalArgumentException("a step count cannot be negative, got " + step);
            }
            buffers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(buffers));
        }
    }

    /**
     * An optimizer's whole state (PyTorch's {@code optimizer.state_dict()} for one parameter group): the learning
     * rate and, per parameter in the order of {@link #parameters()}, its {@link ParamState}.
     */
    public record State(double lr, List<ParamState> params) {
        public State {
            params = List.copyOf(params);
        }
    }

    /** A copy of this optimizer's state, detached from it: the learning rate and each parameter's buffers. */
    public final State stateDict() {
        List<ParamState> out = new ArrayList<>();
        for (int k = 0; k < params.size(); k++) {
            Map<String, Tensor> buffers = new LinkedHashMap<>();
            Tensor p = params.get(k);
            saveBuffers(k, (name, values) -> buffers.put(name, Tensor.wrap(values.clone(), p.shape())));
            out.add(new ParamState(stepCountOf(k), buffers));
        }
        return new State(lr, out);
    }

    /**
     * Sets this optimizer's state to {@code state}, as {@link #stateDict()} of an optimizer of the same kind and
     * options over parameters of the same shapes gave it. Everything is checked first, so a state that does not
     * fit changes nothing.
     *
     * @throws IllegalArgumentException naming the parameter and buffer that does not fit, and why
     */
    public final void loadStateDict(State state) {
        Objects.requireNonNull(state, "state");
        if (state.params().size() != params.size()) {
            throw new IllegalArgumentException("the optimizer state holds " + state.params().size()
                    + " parameters, this " + getClass().getSimpleName() + " updates " + params.size()
                    + ": load it into an optimizer over the same model");
        }
        Checks.nonNegative("lr", state.lr());
        for (int k = 0; k < params.size(); k++) {
            ParamState ps = state.params().get(k);
            Set<String> expected = bufferNames();
            boolean started = !ps.buffers().isEmpty();
            if (started && !ps.buffers().keySet().equals(expected)) {
                throw new IllegalArgumentException("the optimizer state of parameter " + k + " holds "
                        + ps.buffers().keySet() + " where this " + this + " keeps " + expected
                        + ": load it into an optimizer of the kind and options it was saved from");
            }
            if (countsSteps() && started != ps.step() > 0) {
                throw new IllegalArgumentException("the optimizer state of parameter " + k + " counts " + ps.step()
                        + " steps but holds " + (started ? "buffers" : "no buffers") + ": a parameter has buffers "
                        + "once it has taken a step; the state was not written by " + getClass().getSimpleName());
            }
            for (var e : ps.buffers().entrySet()) {
                if (!e.getValue().shape().equals(params.get(k).shape())) {
                    throw new IllegalArgumentException("the optimizer state's " + e.getKey() + " of parameter " + k
                            + " has shape " + e.getValue().shape() + ", the parameter " + params.get(k).shape()
                            + ": load it into an optimizer over the same model");
                }
            }
        }
        lr = state.lr();
        for (int k = 0; k < params.size(); k++) {
            ParamState ps = state.params().get(k);
            Map<String, float[]> values = new LinkedHashMap<>();
            ps.buffers().forEach((name, t) -> values.put(name, t.data()));
            steps[k] = countsSteps() ? ps.step() : 0;
            loadBuffers(k, values);
        }
    }

    /** Receives one buffer of a parameter's state. */
    protected interface BufferSink {
        void accept(String name, float[] values);
    }

    /** The names of the buffers a parameter has once stepped (in PyTorch's order); empty if none. */
    protected abstract Set<String> bufferNames();

    /** Hands each buffer of parameter {@code k} to {@code sink}, none if it has not been stepped. */
    protected abstract void saveBuffers(int k, BufferSink sink);

    /** True when the optimizer counts each parameter's steps (Adam), false when it counts none (SGD). */
    protected boolean countsSteps() {
        return false;
    }

    /** Counts a step of parameter {@code k} and returns its number, from 1 (the t of a bias correction). */
    protected final long advanceStep(int k) {
        return ++steps[k];
    }

    /** The steps parameter {@code k} has taken (0 for an optimizer that counts none). */
    protected final long stepCountOf(int k) {
        return steps[k];
    }

    /** Copies a saved buffer into {@code into}, or zeroes it when none was saved. */
    protected static void restore(float[] into, float[] saved) {
        if (saved == null) {
            java.util.Arrays.fill(into, 0f);
        } else {
            System.arraycopy(saved, 0, into, 0, into.length);
        }
    }

    /**
     * Sets parameter {@code k}'s buffers (checked: of the parameter's size, the names of {@link #bufferNames()}, or
     * none, for a parameter not stepped yet); its step count is set already.
     */
    protected abstract void loadBuffers(int k, Map<String, float[]> buffers);
}
