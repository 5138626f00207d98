package dev.nabla.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that kernels split their work over: the calling thread and {@code threads − 1} persistent daemon
 * workers claim the units of one {@link TeamJob} at a time (a GEMM product, a range of an element-wise loop, an
 * optimizer update). One team serves every kernel, so that no two pools of threads compete for the cores.
 *
 * <p>Workers spin ({@link Thread#onSpinWait}) for {@link #SPIN_NANOS} after each job before they park (when the team
 * has no more threads than the machine has cores): in a training
 * step the next job follows within microseconds, while waking a parked thread costs tens of microseconds on a
 * virtual machine, as much as a whole product of an MLP layer. A hand-off to a spinning worker is a volatile write
 * and costs about a microsecond. A worker that is parked or descheduled when a job starts only misses units: the
 * caller claims them.
 *
 * <p>One job at a time uses the team; a thread that finds it busy (another thread's job, or a job started from
 * inside a unit) computes its job alone, with the same results. Nothing is allocated per job.
 */
final class Team {
    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 2_000_000;

    private static volatile Team current;

    private final int threads;
    /**
     * How long this team's idle workers spin: {@link #SPIN_NANOS}, or nothing when there are more threads than
     * cores, where a spinning worker takes the core a working thread needs (8 threads on 2 cores ran a CNN step
     * 3 to 7 times slower than 2 threads with spinning workers).
     */
    private final long spinNanos;
    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The job in progress, or null. */
    private volatile TeamJob job;
    /** Bumped once per job; workers wait for it to change. */
    private volatile long generation;
    private volatile boolean closed;

    private Team(int threads) {
        this.threads = threads;
        spinNanos = threads <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0;
        workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            workers[w].start();
        }
    }

    /** The team for {@code threads} threads (at least 2), replacing (and stopping) a team of another size. */
    static Team of(int threads) {
        Team t = current;
        if (t != null && t.threads == threads) {
            return t;
        }
        synchronized (Team.class) {
            t = current;
            if (t == null || t.threads != threads) {
                if (t != null) {
                    t.close();
                }
                t = new Team(threads);
                current = t;
            }
            return t;
        }
    }

    /**
     * Computes the units of {@code job}, already {@link TeamJob#open opened}, on the team; returns false, having
     * done nothing, when the team is busy or closed.
     */
    boolean tryRun(TeamJob job) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        try {
            if (closed) {
                return false;
            }
            this.job = job;
            generation++;   // publishes the job to the workers (one writer: the holder of busy)
            for (int w = 0; w < Math.min(workers.length, job.plannedClaims() - 1); w++) {
                workers[w].wake();
            }
            job.work(true);
            job.await();
            return true;
        } finally {
            this.job = null;
            busy.set(false);
        }
    }

    /** Stops the workers once the job in progress, if any, is done. */
    private void close() {
        while (!busy.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        closed = true;   // busy stays set: the team takes no more jobs
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        private volatile boolean parked;

        Worker(int index) {
            super("nabla-worker-" + index);
            setDaemon(true);
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            long seen = 0;   // the value before the first job, which may be published before this runs
            while (true) {
                long g = awaitGeneration(seen);
                if (g == seen) {
                    return;   // closed
                }
                seen = g;
                TeamJob j = job;
                if (j != null) {
                    j.work(false);   // claims nothing when the job is already done
                }
            }
        }

        /** Waits for a generation other than {@code seen}; returns {@code seen} when the team is closed. */
        private long awaitGeneration(long seen) {
            long spinUntil = System.nanoTime() + spinNanos;
            while (true) {
                long g = generation;
                if (g != seen) {
                    return g;
                }
                if (closed) {
                    return seen;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (generation == seen && !closed) {   // re-read after announcing: a wake() cannot be missed
                    LockSupport.park(this);
                }
                parked = false;
                Thread.interrupted();   // an interrupt must not turn park into a busy loop
                spinUntil = System.nanoTime() + spinNanos;
            }
        }
    }
}
