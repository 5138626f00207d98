package dev.nabla.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work cut into numbered units that the threads of a {@link Team} claim, a run of units at a time: a thread that
 * starts late, or is descheduled by the operating system, leaves its share to the others instead of holding up
 * the job. A job object is reusable: {@link #open} makes its next round of units claimable.
 *
 * <p>The calling thread claims from the first unit up, the workers from the last unit down, until they meet. So a
 * thread mostly gets the same part of the same job's data each time, and that part stays in its core's cache
 * between calls (a product's C, a parameter's slice in an optimizer update) instead of moving between the cores.
 * Measured on the weight gradient of the MLP's first layer at batch 32 (1.6 MB of C, 32 multiply-adds per element):
 * 195 GFLOP/s on one thread, 230–257 on two when every claim took the next units, 287–304 claiming from both ends.
 *
 * <p>Order of use: the owner fills in the job's arguments, calls {@link #open}, then {@link #work} (on its own or
 * through {@link Team#tryRun}) and {@link #await}. A claim takes {@link #claimSize} units (one unless a job
 * guides its claims, wide first and narrow last). A unit must be computed with arithmetic that does not depend on
 * which thread runs it or which claim it is in, so that results do not depend on the thread count.
 */
abstract class TeamJob {
    /** Largest number of units in one round. */
    static final int MAX_UNITS = 0xFFFF;

    /**
     * Claims, in one word so that a thread still busy with an earlier round cannot claim from this one: the round
     * (bits 32–63), the end of the unclaimed units (16–31), which the workers claim down from, and their start
     * (0–15), which the caller claims up from.
     */
    private final AtomicLong claims = new AtomicLong();
    /** Units not yet finished. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;
    /** How many claims the current round takes at most, for the number of workers worth waking. */
    private int plannedClaims;

    /** Computes units {@code [from, to)}, on whichever thread claimed them. */
    protected abstract void runUnits(int from, int to);

    /** Units a claim takes when {@code left} units are unclaimed: 1 unless overridden. */
    protected int claimSize(int left) {
        return 1;
    }

    /** Called on each thread when it finds no unit left to claim in a round it worked on. */
    protected void afterWork() {
    }

    /** Makes units {@code 0 … count − 1} claimable, after the job's arguments are set. */
    final void open(int count) {
        if (count < 1 || count > MAX_UNITS) {
            throw new IllegalArgumentException("a job has 1 to " + MAX_UNITS + " units, got " + count);
        }
        int planned = 0;
        for (int u = 0; u < count; u += claimSize(count - u)) {
            planned++;
        }
        plannedClaims = planned;
        failure = null;
        pending.set(count);
        long round = (claims.get() >>> 32) + 1;
        claims.set(round << 32 | (long) count << 16);   // after pending: every claimed unit is counted
    }

    /** The number of claims the current round takes when every claim is as planned. */
    final int plannedClaims() {
        return plannedClaims;
    }

    /**
     * Claims and computes units of the current round until none is left: from the first unit up when
     * {@code caller} (the thread that opened the job), else from the last unit down.
     */
    final void work(boolean caller) {
        long v = claims.get();
        long round = v >>> 32;
        while ((v >>> 32) == round && (v & 0xFFFF) < (v >>> 16 & 0xFFFF)) {
            int front = (int) (v & 0xFFFF);
            int back = (int) (v >>> 16 & 0xFFFF);
            int size = Math.min(back - front, Math.max(1, claimSize(back - front)));
            int from = caller ? front : back - size;
            int to = from + size;
            long next = caller ? v + size : v - ((long) size << 16);
            if (claims.compareAndSet(v, next)) {
                try {
                    runUnits(from, to);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    pending.addAndGet(from - to);
                }
            }
            v = claims.get();
        }
        afterWork();
    }

    /** Waits until every unit of the round is finished; rethrows the failure of a unit, if any. */
    final void await() {
        while (pending.get() != 0) {
            Thread.onSpinWait();
        }
        Throwable f = failure;
        if (f != null) {
            failure = null;
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(f);
        }
    }

    /** Computes every unit: on {@code team} when it is free, else on the calling thread alone. */
    final void runOn(Team team) {
        if (team == null || !team.tryRun(this)) {
            work(true);
            await();
        }
    }
}
