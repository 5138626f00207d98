package dev.nabla.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work cut into numbered chunks that the threads of a {@link Team} claim one at a time: a thread that starts late,
 * or is descheduled by the operating system, leaves its share to the others instead of holding up the job. A job
 * object is reusable: {@link #open} makes its next round of chunks claimable.
 *
 * <p>Order of use: the owner fills in the job's arguments, calls {@link #open}, then {@link #work} (on its own or
 * through {@link Team#tryRun}) and {@link #await}. A chunk must compute its part with arithmetic that does not
 * depend on which thread runs it, so that results do not depend on the thread count.
 */
abstract class TeamJob {
    /**
     * Claims, in one word so that a thread still busy with an earlier round cannot claim from this one: the round
     * (bits 32–63), its number of chunks (16–31) and the next chunk to claim (0–15).
     */
    private final AtomicLong claims = new AtomicLong();
    /** Chunks not yet finished. */
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Throwable failure;

    /** Largest number of chunks in one round. */
    static final int MAX_CHUNKS = 0xFFFF;

    /** Computes chunk {@code chunk}, on whichever thread claimed it. */
    protected abstract void runChunk(int chunk);

    /** Makes chunks {@code 0 … count − 1} claimable, after the job's arguments are set. */
    final void open(int count) {
        if (count < 1 || count > MAX_CHUNKS) {
            throw new IllegalArgumentException("a job has 1 to " + MAX_CHUNKS + " chunks, got " + count);
        }
        failure = null;
        pending.set(count);
        long round = (claims.get() >>> 32) + 1;
        claims.set(round << 32 | (long) count << 16);   // after pending: every claimed chunk is counted
    }

    /** The number of chunks of the current round. */
    final int chunks() {
        return (int) (claims.get() >>> 16 & 0xFFFF);
    }

    /** Claims and computes chunks of the current round until none is left. */
    final void work() {
        long v = claims.get();
        long round = v >>> 32;
        while ((v >>> 32) == round && (v & 0xFFFF) < (v >>> 16 & 0xFFFF)) {
            if (claims.compareAndSet(v, v + 1)) {
                try {
                    runChunk((int) (v & 0xFFFF));
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    pending.decrementAndGet();
                }
            }
            v = claims.get();
        }
    }

    /** Waits until every chunk of the round is finished; rethrows the failure of a chunk, if any. */
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

    /** Computes every chunk: on {@code team} when it is free, else on the calling thread alone. */
    final void runOn(Team team) {
        if (team == null || !team.tryRun(this)) {
            work();
            await();
        }
    }
}
