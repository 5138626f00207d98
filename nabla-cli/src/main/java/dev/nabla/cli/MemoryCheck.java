package dev.nabla.cli;

import dev.nabla.cli.values.Heap;
import dev.nabla.nn.ModelSpec;
import dev.nabla.train.Trainer;
import java.util.Locale;

/**
 * Whether a network and its training fit in the JVM's heap, checked before anything is allocated, so that a size
 * too large is refused with the memory it would need instead of ending in an {@link OutOfMemoryError}.
 *
 * <p>The estimate, in float32 values of 4 bytes: each parameter with its gradient, the optimizer's state (Adam's two
 * moments, SGD's momentum buffer) and the monitor's copy on recording steps; the activations of a training batch
 * ({@link ModelSpec#activationsPerSample()}: the outputs kept for backward, and their gradients); and those of an
 * evaluation batch (a third of that: no graph kept). It errs high rather than low.
 */
final class MemoryCheck {
    private MemoryCheck() {
    }

    /**
     * The bytes training {@code spec} needs beyond what is allocated already.
     *
     * @param trainBatch     samples per training step
     * @param evalBatch      samples per evaluation batch
     * @param optimizerSlots values of optimizer state per parameter: 2 for Adam, 1 for SGD with momentum
     */
    static long trainingBytes(ModelSpec spec, int trainBatch, int evalBatch, int optimizerSlots) {
        long perParameter = 3 + optimizerSlots;   // value, gradient, monitor copy, optimizer state
        long activations = spec.activationsPerSample();
        return 4 * (perParameter * spec.parameterCount() + activations * trainBatch + activations / 3 * evalBatch);
    }

    /**
     * Null when training {@code spec} fits, else the sentence that says why not and what to do.
     *
     * @param what how the user asked for the size, for the fix: e.g. {@code --hidden}
     */
    static String refusal(ModelSpec spec, int trainBatch, int evalBatch, int optimizerSlots, String what) {
        String net = spec.toString().split(" ")[0];
        if (spec.largestWeight() > Heap.MAX_ARRAY) {
            return String.format(Locale.ROOT, "the network %s has a weight matrix of %,d values (%s), more than a "
                    + "Java array holds (%,d): use smaller %s sizes", net, spec.largestWeight(),
                    Heap.gib(4.0 * spec.largestWeight()), Heap.MAX_ARRAY, what);
        }
        long widest = spec.widestPerSample();
        int batch = Math.max(trainBatch, evalBatch);
        if (batch * widest > Heap.MAX_ARRAY) {
            return String.format(Locale.ROOT, "in the network %s, a batch of %,d samples through its widest layer "
                    + "(%,d values per sample) is %,d values (%s), more than a Java array holds (%,d): use "
                    + "smaller %s sizes", net, batch, widest, batch * widest, Heap.gib(4.0 * batch * widest), Heap.MAX_ARRAY,
                    what);
        }
        return Heap.shortfall(String.format(Locale.ROOT, "the network %s (%,d parameters) and its training", net,
                spec.parameterCount()), trainingBytes(spec, trainBatch, evalBatch, optimizerSlots), what + " sizes");
    }
}
