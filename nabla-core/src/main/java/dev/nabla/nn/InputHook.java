package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * Called with a module's input before {@link Module#call(Tensor)} runs its forward, and may put another tensor in
 * its place, as PyTorch's {@code register_forward_pre_hook}. The gradient monitor uses it to measure what reaches
 * the input: it hands the model a copy of the batch that requires a gradient, and after backward reads
 * ∂L/∂x from it.
 *
 * <p>A replacement must hold the same values in the same shape, or the model computes something else. It must not
 * write into {@code input}.
 */
@FunctionalInterface
public interface InputHook {
    /**
     * @param module the module about to run
     * @param input  its input; not modified
     * @return the input to run on: {@code input} itself, or a tensor of the same shape and values
     */
    Tensor beforeForward(Module module, Tensor input);
}
