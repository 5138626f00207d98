package dev.nabla.tensor;

/**
 * Whether operations on this thread are recorded for backpropagation. On by default; {@code NoGrad} scopes in
 * {@code dev.nabla.autograd} turn it off for inference and for optimizer updates.
 */
public final class GradMode {
    private static final ThreadLocal<int[]> DISABLED_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private GradMode() {
    }

    /** True when new operations are recorded on the tape. */
    public static boolean isEnabled() {
        return DISABLED_DEPTH.get()[0] == 0;
    }

    /** Opens one level of "not recorded"; pair each call with {@link #exitDisabled()}. */
    public static void enterDisabled() {
        DISABLED_DEPTH.get()[0]++;
    }

    /** Closes one level opened by {@link #enterDisabled()}. */
    public static void exitDisabled() {
        int[] depth = DISABLED_DEPTH.get();
        if (depth[0] == 0) {
            throw new IllegalStateException("GradMode.exitDisabled() without a matching enterDisabled()");
        }
        depth[0]--;
    }
}
