package dev.nabla.kernel;

/**
 * How many threads the kernels use, and the split of a loop over them. The threads are the calling thread and the
 * workers of the one {@link Team} that every kernel shares (GEMM products, element-wise loops, optimizer updates).
 * Each index of a range is handled by exactly one chunk with a fixed order of arithmetic, so results do not depend
 * on scheduling: the same inputs give bit-identical results run after run.
 */
public final class Parallel {
    /**
     * Work (an estimate of scalar operations) below which a loop runs on the calling thread alone. Measured on the
     * MLP training step at batch 128: splitting the BatchNorm, ReLU and bias passes of [128, 512] arrays (about
     * 100 000 to 300 000 operations, a few microseconds each) made the step 6 % slower than running them on one
     * thread, since a hand-off and the wait for the slower half cost about as much as the half saved.
     */
    static final long MIN_WORK = 400_000;

    private static volatile int threads = Runtime.getRuntime().availableProcessors();
    private static final ThreadLocal<RangeJob> RANGE_JOB = ThreadLocal.withInitial(RangeJob::new);

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
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + n);
        }
        threads = n;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in up to {@link #threads()} contiguous chunks of about equal size, on the
     * calling thread alone when {@code work} (an estimate of scalar operations) is too small to pay for the
     * hand-off (about a microsecond).
     */
    public static void forRange(int n, long work, RangeBody body) {
        int t = threads;
        if (t == 1 || n < 2 || work < MIN_WORK) {
            body.run(0, n);
            return;
        }
        RangeJob job = RANGE_JOB.get();
        if (job.body != null) {   // a loop started from inside one of this thread's chunks
            body.run(0, n);
            return;
        }
        job.body = body;
        job.n = n;
        job.parts = Math.min(t, n);
        try {
            job.open(job.parts);
            job.runOn(Team.of(t));
        } finally {
            job.body = null;
        }
    }

    /** A loop split into {@code parts} contiguous ranges, one unit each. */
    private static final class RangeJob extends TeamJob {
        private RangeBody body;
        private int n;
        private int parts;

        @Override
        protected void runUnits(int from, int to) {
            body.run((int) ((long) n * from / parts), (int) ((long) n * to / parts));
        }
    }
}
