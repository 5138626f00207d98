package dev.nabla.autograd;

import dev.nabla.tensor.GradMode;

/**
 * A scope in which operations are not recorded for backpropagation: for evaluation, inference and optimizer
 * updates. Saves the memory and time of the tape. Scopes nest.
 *
 * <pre>{@code
 * try (var scope = NoGrad.enter()) {
 *     Tensor logits = model.forward(x);   // no graph is built
 * }
 * }</pre>
 */
public final class NoGrad implements AutoCloseable {
    private boolean closed;

    private NoGrad() {
        GradMode.enterDisabled();
    }

    /** Turns recording off on this thread until {@link #close()}. */
    public static NoGrad enter() {
        return new NoGrad();
    }

    /** True when operations on this thread are recorded. */
    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            GradMode.exitDisabled();
        }
    }
}
