package dev.nabla.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The activations of one training step, whose arrays the next step reuses. A step's forward pass makes an array per
 * layer output (a CNN's at batch 128: about 110 MB), and once the step's backward pass and metrics are done they are
 * garbage. Left to the collector, every step allocates (and the JVM zeroes) them afresh, and a collection in the
 * middle of a step copies those alive, or promotes them to the old generation, which then grows. Reused, the same
 * arrays circulate: no zeroing, no copying, and a young generation that only sees small garbage.
 *
 * <p>The trainer enters it around each step ({@code try (var s = memory.enter()) { … }}); ops take their outputs
 * through {@link Tensor#activationBuffer}, which draws from the memory entered on the calling thread, or allocates
 * outside one. When the step closes, every array taken during it becomes free for the next step, and of the arrays
 * it did not reuse the memory keeps what fits in twice its largest step, dropping the rest: enough for an epoch's
 * smaller last batch and an evaluation's batches to keep their own arrays beside the full-size ones, so that none of
 * them is made again (and left, promoted, in the old generation) at every epoch. <b>So a layer's output is valid until the
 * end of the step that made it</b>: a hook that keeps one beyond that must keep a copy ({@link Tensor#copy()}).
 *
 * <p>A reused array holds the previous step's values, so ops ask for one only where their forward writes every
 * element. Where assertions are enabled (the tests run so) every array handed out is first filled with NaN, so an
 * op that leaves an element unwritten fails its tests. One thread uses a memory; steps nest (the outer one resumes
 * when the inner closes).
 */
public final class StepMemory implements AutoCloseable {
    private static final ThreadLocal<StepMemory> ACTIVE = new ThreadLocal<>();

    /** Arrays the previous step took, by length, for this one to reuse. */
    private Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** Arrays taken since {@link #enter}. */
    private final List<float[]> taken = new ArrayList<>();
    private StepMemory outer;
    private boolean entered;
    /** The most floats one step has taken. */
    private long peak;

    /** The memory entered on this thread, or null outside a step. */
    static StepMemory active() {
        return ACTIVE.get();
    }

    /**
     * Starts a step on the calling thread: until {@link #close}, {@link Tensor#activationBuffer} draws from here.
     *
     * @throws IllegalStateException when this memory is in a step already
     */
    public StepMemory enter() {
        if (entered) {
            throw new IllegalStateException("this step memory is in a step already: close it before entering again");
        }
        entered = true;
        outer = ACTIVE.get();
        ACTIVE.set(this);
        return this;
    }

    /** An array of {@code length} floats whose values are unspecified: one the previous step took, else a new one. */
    float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.poll();
        if (a == null) {
            a = new float[length];
        }
        if (GradientPool.POISON) {
            Arrays.fill(a, Float.NaN);
        }
        taken.add(a);
        return a;
    }

    /** Ends the step: the arrays it took are free for the next one; those it did not reuse are let go. */
    @Override
    public void close() {
        if (!entered) {
            return;
        }
        entered = false;
        if (outer == null) {
            ACTIVE.remove();
        } else {
            ACTIVE.set(outer);
        }
        outer = null;
        Map<Integer, ArrayDeque<float[]>> next = new HashMap<>();
        long took = 0;
        for (float[] a : taken) {
            next.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
            took += a.length;
        }
        taken.clear();
        // Keep arrays this step did not use, so that what the memory holds stays within twice the largest step: the
        // last batch of an epoch is smaller, an evaluation takes no gradients, and the next training step wants the
        // full-size arrays back (dropped, they would be garbage the collector had already promoted).
        peak = Math.max(peak, took);
        long budget = 2 * peak - took;
        for (ArrayDeque<float[]> unused : free.values()) {
            for (float[] a : unused) {
                if (a.length <= budget) {
                    next.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
                    budget -= a.length;
                }
            }
        }
        free = next;
    }
}
