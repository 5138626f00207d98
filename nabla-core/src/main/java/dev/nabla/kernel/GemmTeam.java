package dev.nabla.kernel;

import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads of a multi-threaded {@link VectorGemm} product: the calling thread and {@code threads − 1}
 * persistent daemon workers claim the chunks of the product ({@link VectorGemm.Call#work}), each with its own
 * packing buffers.
 *
 * <p>Workers spin ({@link Thread#onSpinWait}) for {@link #SPIN_NANOS} after each product before they park: in a
 * training step the next product follows within microseconds, while waking a parked thread costs tens of
 * microseconds on a virtual machine, as much as a whole product of an MLP layer. A hand-off to a spinning worker
 * is a volatile write and costs about a microsecond. A worker that is parked or descheduled when a product
 * starts only misses chunks: the caller claims them.
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
    /** Bumped once per product; workers wait for it to change. */
    private volatile long generation;
    private volatile boolean closed;

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
            int chunks = call.set(transA, transB, a, b, c, m, k, n, accumulate, threads);
            generation++;   // publishes the call to the workers
            for (int w = 0; w < Math.min(workers.length, chunks - 1); w++) {
                workers[w].wake();
            }
            call.work(ws);
            call.await();
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
        private final VectorGemm.Workspace ws = new VectorGemm.Workspace();
        private volatile boolean parked;

        Worker(int index) {
            super("nabla-gemm-" + index);
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
                long g = awaitGeneration(seen);
                if (g == seen) {
                    return;   // closed
                }
                seen = g;
                call.work(ws);   // claims nothing when the call is already done
            }
        }

        /** Waits for a generation other than {@code seen}; returns {@code seen} when the team is closed. */
        private long awaitGeneration(long seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
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
                spinUntil = System.nanoTime() + SPIN_NANOS;
            }
        }
    }
}
