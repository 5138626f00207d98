package dev.nabla.cli;

import dev.nabla.nn.MlpSpec;
import dev.nabla.train.Trainer;
import java.util.Locale;

/**
 * Whether a network and its training fit in the JVM's heap, checked before anything is allocated, so that a size
 * too large is refused with the memory it would need instead of ending in an {@link OutOfMemoryError}.
 *
 * <p>The estimate, in float32 values of 4 bytes: each parameter with its gradient, the optimizer's state (Adam's two
 * moments, SGD's momentum buffer) and the monitor's copy on recording steps; the activations of a training batch,
 * about six values per hidden unit and sample (the layers' outputs kept for backward, and their gradients); and an
 * evaluation batch. It errs high rather than low.
 */
final class MemoryCheck {
    /** The most elements a Java array holds (a little under 2³¹, as the JDK's own collections assume). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private MemoryCheck() {
    }

    /**
     * The bytes training {@code spec} needs beyond what is allocated already.
     *
     * @param optimizerSlots values of optimizer state per parameter: 2 for Adam, 1 for SGD with momentum
     */
    static long trainingBytes(MlpSpec spec, int batchSize, int optimizerSlots) {
        long parameters = spec.parameterCount();
        long units = spec.inputs() + spec.outputs();
        for (int h : spec.hidden()) {
            units += h;
        }
        long perParameter = 3 + optimizerSlots;   // value, gradient, monitor copy, optimizer state
        long activations = 6 * units * batchSize + 2 * units * Trainer.EVAL_BATCH_SIZE;
        return 4 * (perParameter * parameters + activations);
    }

    /**
     * Null when training {@code spec} fits, else the sentence that says why not and what to do.
     *
     * @param what how the user asked for the size, for the fix: e.g. {@code --hidden}
     */
    static String refusal(MlpSpec spec, int batchSize, int optimizerSlots, String what) {
        if (spec.largestWeight() > MAX_ARRAY) {
            return String.format(Locale.ROOT, "the network %s has a weight matrix of %,d values, more than a Java "
                    + "array holds (%,d): use smaller %s sizes", spec.toString().split(" ")[0], spec.largestWeight(),
                    MAX_ARRAY, what);
        }
        long needed = trainingBytes(spec, batchSize, optimizerSlots);
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (needed <= available) {
            return null;
        }
        return String.format(Locale.ROOT, "the network %s (%,d parameters) and its training need about %s, but the "
                + "JVM has %s left of its %s heap: use smaller %s sizes, or give Java more memory, e.g. "
                + "NABLA_JAVA_OPTS=-Xmx%dg ./nabla …", spec.toString().split(" ")[0], spec.parameterCount(),
                Failures.gib(needed), Failures.gib(available), Failures.gib(runtime.maxMemory()), what,
                (long) Math.ceil((runtime.maxMemory() - available + needed) * 1.25 / (1L << 30)));
    }
}
