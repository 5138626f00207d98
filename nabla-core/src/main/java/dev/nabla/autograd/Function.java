package dev.nabla.autograd;

import dev.nabla.tensor.GradFn;
import dev.nabla.tensor.GradMode;
import dev.nabla.tensor.Tensor;

/**
 * Base of every differentiable operation: one subclass per op in {@code dev.nabla.ops}, with {@link #forward}
 * and {@link #backward} side by side.
 *
 * <p>Order of use: {@link #apply} runs {@code forward} (which saves in fields what backward will need) and, when
 * gradients are being recorded and some input requires one, puts this object on the tape as the output's
 * {@link GradFn}. {@code Tensor.backward()} later calls {@link #backward} once with dL/d(output). Each instance
 * is used for exactly one application.
 */
public abstract class Function implements GradFn {
    private Tensor[] inputs;
    private boolean[] needsInputGrad;
    private boolean applied;
    private boolean released;
    /** Where this op was applied, noted only in {@link Anomaly anomaly mode}. */
    private String callSite;

    /**
     * Computes the op on {@code inputs} and records it for backpropagation where needed.
     *
     * @return the output, a fresh tensor (or a view) that carries this function as its grad function
     */
    public static Tensor apply(Function fn, Tensor... inputs) {
        if (fn.applied) {
            throw new IllegalStateException(fn.name() + " was applied already: create a new instance per use");
        }
        fn.applied = true;
        boolean record = false;
        fn.needsInputGrad = new boolean[inputs.length];
        if (GradMode.isEnabled()) {
            for (int i = 0; i < inputs.length; i++) {
                fn.needsInputGrad[i] = inputs[i] != null && inputs[i].requiresGrad();
                record |= fn.needsInputGrad[i];
            }
        }
        Tensor out = fn.forward(inputs);
        if (Anomaly.isEnabled()) {
            fn.callSite = Anomaly.callSite();
            Anomaly.checkForward(fn, inputs, out, fn.callSite);
        }
        if (record) {
            fn.inputs = inputs;
            out.attachGradFn(fn);
        }
        return out;
    }

    /** Computes the output from the inputs, saving in fields what {@link #backward} needs. */
    protected abstract Tensor forward(Tensor... inputs);

    /**
     * Given dL/d(output), returns one gradient per input, each of that input's shape, or {@code null} where
     * {@link #needsInputGrad(int)} is false. Must not write into {@code gradOutput}.
     */
    protected abstract Tensor[] backward(Tensor gradOutput);

    /** Whether input {@code i} needs a gradient: backward may skip the work for the others. */
    protected final boolean needsInputGrad(int i) {
        return needsInputGrad[i];
    }

    /**
     * True when input {@code i} is a leaf (a parameter, say) that needs a gradient: backward may then add its
     * contribution straight into the leaf's buffer with {@link Tensor#accumulateGrad(Tensor.GradWriter)} and
     * return {@code null} for it, which saves an allocation and a pass per step.
     */
    protected final boolean isLeafInput(int i) {
        return needsInputGrad[i] && inputs != null && inputs[i].isLeaf();
    }

    @Override
    public final Tensor[] inputs() {
        return inputs;
    }

    @Override
    public final Tensor[] applyBackward(Tensor gradOutput) {
        if (released) {
            throw new IllegalStateException("backward() went a second time through a graph that was already freed: "
                    + "the first backward() released what " + name() + " saved. Recompute the forward pass, or call "
                    + "backward(true) the first time to keep the graph for another pass.");
        }
        Tensor[] grads = backward(gradOutput);
        if (Anomaly.isEnabled()) {
            Anomaly.checkBackward(this, inputs, gradOutput, grads,
                    callSite != null ? callSite : "somewhere before anomaly mode was on");
        }
        return grads;
    }

    @Override
    public void release() {
        released = true;
    }

    @Override
    public String name() {
        return getClass().getSimpleName();
    }
}
