package dev.nabla.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads of a multi-threaded {@link VectorGemm} product: the calling thread computes part 0 and
 * {@code threads − 1} persistent daemon workers compute the others, each with its own packing buffers.
 *
 * <p>Workers spin ({@link Thread#onSpinWait}) for {@link #SPIN_NANOS} after each product before they park: in a
 * training step the next product follows within microseconds, while waking a parked thread costs tens of
 * microseconds on a virtual machine, as much as a whole product of an MLP layer. A hand-off to a spinning worker
 * is a volatile write and costs about a microsecond.
 *
 * <p>One product at a time uses the team; a thread that finds it busy computes its product alone (the results
 * are the same, see {@link VectorGemm}). Nothing is allocated per product: the arguments travel in the team's
 * reusable {@link VectorGemm.Call}.
 */
final class GemmTeam {
    /** How long an idle worker spins before it parks. */
    static final long SPIN_NANOS = 2_000_000;

    private static volatile GemmTeam current;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock lock = new ReentrantLock();
    private final VectorGemm.Call call = new VectorGemm.Call();
    /**
     * The product in progress: a generation number, bumped once per product, in the high half and the number of
     * parts in the low half, so that a worker reads both at once. Workers wait for the generation to change.
     */
    private volatile long work;
    private volatile boolean closed;
    private volatile Throwable failure;
    private final AtomicInteger pending = new AtomicInteger();

    private GemmTeam(int threads) {
        this.threads = threads;
        workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker(w + 1);
            workers[w].start();
        }
    }

    /** The team for {@code threads} threads, replacing (and stopping) a team of another size. */
    static GemmTeam of(int threads) {
        GemmTeam t = current;
        if (t != null && t.threads == threads) {
            return t;
        }
        synchronized (GemmTeam.class) {
            t = current;
            if (t == null || t.threads != threads) {
                if (t != null) {
                    t.close();
                }
                t = new GemmTeam(threads);
                current = t;
            }
            return t;
        }
    }

    /**
     * Computes the product on the team, {@code ws} being the calling thread's buffers; returns false, having
     * done nothing, when another thread is using the team.
     */
    boolean tryRun(boolean transA, boolean transB, float[] a, float[] b, float[] c, int m, int k, int n,
                   boolean accumulate, VectorGemm.Workspace ws) {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            if (closed) {
                return false;
            }
            int p = call.set(transA, transB, a, b, c, m, k, n, accumulate, threads);
            failure = null;
            pending.set(p - 1);
            work = ((work >>> 32) + 1) << 32 | p;   // publishes the call to the workers
            for (int w = 0; w < p - 1; w++) {
                workers[w].wake();
            }
            call.run(0, ws);
            while (pending.get() != 0) {
                Thread.onSpinWait();
            }
            Throwable f = failure;
            if (f != null) {
                throw new IllegalStateException("a GEMM worker thread failed", f);
            }
            return true;
        } finally {
            call.clear();
            lock.unlock();
        }
    }

    /** Stops the workers once the product in progress, if any, is done. */
    private void close() {
        lock.lock();
        try {
            closed = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        } finally {
            lock.unlock();
        }
    }

    private final class Worker extends Thread {
        private final int part;
        private final VectorGemm.Workspace ws = new VectorGemm.Workspace();
        private volatile boolean parked;

        Worker(int part) {
            super("nabla-gemm-" + part);
            this.part = part;
            setDaemon(true);
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            long seen = 0;   // the value before the first product, which may be published before this runs
            while (true) {
                long w = awaitWork(seen);
                if (w == seen) {
                    return;   // closed
                }
                seen = w;
                if (part < (int) w) {
                    try {
                        call.run(part, ws);
                    } catch (Throwable t) {
                        failure = t;
                    } finally {
                        pending.decrementAndGet();
                    }
                }
            }
        }

        /** Waits for work other than {@code seen}; returns {@code seen} when the team is closed. */
        private long awaitWork(long seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (true) {
                long w = work;
                if (w != seen) {
                    return w;
                }
                if (closed) {
                    return seen;
                }
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (work == seen && !closed) {   // re-read after announcing: a wake() cannot be missed
                    LockSupport.park(this);
                }
                parked = false;
                Thread.interrupted();   // an interrupt must not turn park into a busy loop
                spinUntil = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
