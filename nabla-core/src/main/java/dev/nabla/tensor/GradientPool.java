package dev.nabla.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arrays of one backward pass's gradients, reused once the walk is done with them. In a deep network each op
 * turns the gradient of its output into a gradient of its input of the same size, and the output's gradient is
 * garbage from then on: without reuse a 20-layer step allocates (and the JVM zeroes) 40 fresh arrays, each in
 * memory the caches have not seen; with it two or three arrays circulate, warm in the cache.
 *
 * <p>An array is reusable when the pool handed it out ({@link #take}), no pending gradient of the walk holds it
 * (gradients are counted by array, since an op may pass its output's gradient on unchanged, to one input or to
 * several, or as a reshaped view), and the walk has consumed every tensor that held it. Arrays from elsewhere —
 * the seed, a tensor an op made with {@link Tensor#zeros} — are never reused.
 *
 * <p>An array an op's backward takes and does not return (scratch, such as an activation's gradient inside a fused
 * layer) is reused once that backward has returned. Inside a training step ({@link StepMemory}) a new array comes
 * from the step's memory, so the next step's backward pass reuses it too (a leaf's gradient is its own array, into
 * which the walk copies or adds, so no array of the pool outlives the step).
 *
 * <p>A reused array holds stale values, so ops ask for one only where their backward writes every element. Where
 * assertions are enabled (the tests run so) every array handed out is first filled with NaN, and an op that leaves
 * an element unwritten fails its gradient tests.
 */
final class GradientPool {
    /** Fill arrays handed out with NaN, to catch an op that does not write every element. */
    static final boolean POISON = GradientPool.class.desiredAssertionStatus();

    private static final ThreadLocal<GradientPool> ACTIVE = new ThreadLocal<>();

    /** Arrays handed out and not yet reused, with how many pending gradients hold each. */
    private final Map<float[], Integer> holders = new IdentityHashMap<>();
    /** Arrays ready for reuse, by length. */
    private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
    /** Arrays handed out since {@link #recycleScratch} last ran. */
    private final List<float[]> taken = new ArrayList<>();
    /** This backward pass, as the leaves whose gradients it writes remember it. */
    final Pass pass = new Pass();

    /** The pool of the backward pass running on this thread, or null outside one. */
    static GradientPool active() {
        return ACTIVE.get();
    }

    /** Makes this the active pool of the calling thread until {@link #close}; returns the one it replaces. */
    GradientPool open() {
        GradientPool previous = ACTIVE.get();
        ACTIVE.set(this);
        pass.running = true;
        return previous;
    }

    /** Ends this pool's pass, putting back the pool it replaced (a backward pass run from inside another). */
    void close(GradientPool previous) {
        pass.running = false;
        if (previous == null) {
            ACTIVE.remove();
        } else {
            ACTIVE.set(previous);
        }
    }

    /** An array of {@code length} floats whose values are unspecified: a reused one, else a fresh one. */
    float[] take(int length) {
        ArrayDeque<float[]> q = free.get(length);
        float[] a = q == null ? null : q.poll();
        if (a == null) {   // inside a training step, one of the previous step's arrays
            StepMemory step = StepMemory.active();
            a = step == null ? new float[length] : step.take(length);
        }
        if (POISON) {
            Arrays.fill(a, Float.NaN);
        }
        holders.put(a, 0);
        taken.add(a);
        return a;
    }

    /** A pending gradient now holds {@code g}'s array. */
    void hold(Tensor g) {
        holders.computeIfPresent(g.data(), (a, n) -> n + 1);
    }

    /** A pending gradient that held {@code g}'s array was consumed. */
    void release(Tensor g) {
        holders.computeIfPresent(g.data(), (a, n) -> n - 1);
    }

    /** Makes {@code g}'s array reusable if the pool handed it out and no pending gradient holds it. */
    void recycle(Tensor g) {
        recycle(g.data());
    }

    /**
     * Makes reusable the arrays handed out since the last call that no pending gradient holds: the scratch an op's
     * backward used and did not return. For the walk, after it has taken up the gradients the op returned.
     */
    void recycleScratch() {
        for (float[] a : taken) {
            recycle(a);
        }
        taken.clear();
    }

    private void recycle(float[] a) {
        Integer n = holders.get(a);
        if (n != null && n == 0) {
            holders.remove(a);
            free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
        }
    }

    /**
     * A backward pass as a leaf remembers the last one that wrote its gradient (not the pool itself, whose arrays it
     * would keep alive): the thread that runs it, and whether it still runs.
     */
    static final class Pass {
        final Thread walker = Thread.currentThread();
        volatile boolean running;

        /** True while this pass runs on a thread other than the calling one. */
        boolean runningElsewhere() {
            return running && walker != Thread.currentThread();
        }
    }
}
