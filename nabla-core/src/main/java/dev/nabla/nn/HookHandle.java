package dev.nabla.nn;

/**
 * Removes the hook it was returned for, once; further calls do nothing. {@code AutoCloseable}, so a hook can live
 * for one scope: {@code try (var h = model.addForwardHook(hook)) { … }}.
 */
public interface HookHandle extends AutoCloseable {
    /** Removes the hook. */
    void remove();

    /** Same as {@link #remove()}. */
    @Override
    default void close() {
        remove();
    }
}
