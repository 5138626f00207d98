package dev.nabla.tensor;

/**
 * The entry on the tape that made a tensor: the inputs it read and how to turn the gradient of its output into
 * gradients of those inputs. Ops implement it through {@code dev.nabla.autograd.Function}; {@link Tensor#backward()}
 * walks these entries in reverse topological order.
 */
public interface GradFn {
    /** The tensors this step read, in order; the gradients {@link #applyBackward} returns line up with them. */
    Tensor[] inputs();

    /**
     * Given dL/d(output), returns dL/d(input) for each input, {@code null} for inputs that need no gradient.
     * Returned tensors may be shared between inputs; the caller never writes into them.
     */
    Tensor[] applyBackward(Tensor gradOutput);

    /** Drops the values saved for {@link #applyBackward}; a later call then fails with a clear message. */
    void release();

    /** A short name for messages, such as {@code "Sigmoid"}. */
    String name();
}
