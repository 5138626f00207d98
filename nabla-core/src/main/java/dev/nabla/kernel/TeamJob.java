package dev.nabla.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work cut into numbered units that the threads of a {@link Team} claim, a run of units at a time: a thread that
 * starts late, or is descheduled by the operating system, leaves its share to the others instead of holding up
 * the job. A job object is reusable: {@link #open} makes its next round of units claimable.
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
     * (bits 32–63), its number of units (16–31) and the next unit to claim (0–15).
     */
    private final AtomicLong claims = new AtomicLong();
    /** Units not yet finished. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;
    /** How many claims the current round takes at most, for the number of workers worth waking. */
    private int plannedClaims;

    /** Computes units {@code [from, to)}, on whichever thread claimed them. */
    protected abstract void runUnits(int from, int to);

    /** Units taken by the claim that starts at unit {@code from} of {@code total}: 1 unless overridden. */
    protected int claimSize(int from, int total) {
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
        for (int u = 0; u < count; u += claimSize(u, count)) {
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

    /** Claims and computes units of the current round until none is left. */
    final void work() {
        long v = claims.get();
        long round = v >>> 32;
        while ((v >>> 32) == round && (v & 0xFFFF) < (v >>> 16 & 0xFFFF)) {
            int from = (int) (v & 0xFFFF);
            int to = from + claimSize(from, (int) (v >>> 16 & 0xFFFF));
            if (claims.compareAndSet(v, v - from + to)) {
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
            work();
            await();
        }
    }
}
