package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * Called after a module computed its output through {@link Module#call(Tensor)}: a way to watch activations (their
 * statistics, NaN detection) without changing the model, as PyTorch's {@code register_forward_hook}.
 *
 * <p>A hook only reads. It must not write into {@code input} or {@code output} (both are the graph's own tensors),
 * and it cannot replace the output. It runs in evaluation as well as in training; use
 * {@link Module#isTraining()} to tell the two apart.
 */
@FunctionalInterface
public interface ForwardHook {
    /**
     * @param module the module that ran
     * @param input  its input; not modified
     * @param output its output; not modified
     */
    void afterForward(Module module, Tensor input, Tensor output);
}
