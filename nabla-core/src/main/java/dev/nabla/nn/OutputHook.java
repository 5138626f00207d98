package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * Called with a module's output after {@link Module#call(Tensor)}: a forward hook that reads the output only, added
 * with {@link Module#addOutputHook}. Because it does not need the module's input, an activation that has only output
 * hooks can still run inside the matrix product of the {@link Linear} before it ({@link Sequential}): the hook then
 * sees the output of that one op, which holds exactly the values the activation alone would have given.
 *
 * <p>Like a {@link ForwardHook}, it only reads: it must not write into {@code output}.
 */
@FunctionalInterface
public interface OutputHook {
    /**
     * @param module the module whose output this is
     * @param output the output; not modified
     */
    void afterForward(Module module, Tensor output);
}
