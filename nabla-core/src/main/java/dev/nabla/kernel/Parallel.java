package dev.nabla.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;

/**
 * The worker threads kernels split large loops across. Each index of a range is handled by exactly one task
 * with a fixed order of arithmetic, so results do not depend on scheduling: the same thread count gives
 * bit-identical results run after run.
 */
public final class Parallel {
    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    /** A loop body over {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Number of threads kernels use (default: the number of cores). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels use; 1 runs everything on the calling thread. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in up to {@link #threads()} contiguous chunks, on the calling thread
     * alone when {@code work} (an estimate of scalar operations) is too small to pay for the hand-off.
     */
    public static void forRange(int n, long work, RangeBody body) {
        int t = threads;
        if (t == 1 || n < 2 || work < 200_000) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(t, n);
        pool().invoke(new Chunks(body, n, 0, chunks, chunks));
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    pool = new ForkJoinPool(threads, fj -> {
                        ForkJoinWorkerThread w = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
                        w.setDaemon(true);
                        w.setName("nabla-kernel-" + w.getPoolIndex());
                        return w;
                    }, null, false);
                }
                p = pool;
            }
        }
        return p;
    }

    /** Splits chunk indices [lo, hi) in halves until one chunk remains, then runs its index range. */
    private static final class Chunks extends RecursiveAction {
        private final RangeBody body;
        private final int n;
        private final int lo;
        private final int hi;
        private final int chunks;

        Chunks(RangeBody body, int n, int lo, int hi, int chunks) {
            this.body = body;
            this.n = n;
            this.lo = lo;
            this.hi = hi;
            this.chunks = chunks;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                int from = (int) ((long) n * lo / chunks);
                int to = (int) ((long) n * (lo + 1) / chunks);
                body.run(from, to);
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Chunks(body, n, lo, mid, chunks), new Chunks(body, n, mid, hi, chunks));
        }
    }
}
