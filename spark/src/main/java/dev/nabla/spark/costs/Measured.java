package dev.nabla.spark.costs;

import java.util.Arrays;
import java.util.function.LongSupplier;

/** Timing helpers for the cost measurements: medians of repeated runs, in milliseconds. */
final class Measured {
    private Measured() {
    }

    /**
     * The median of {@code repeats} timings of {@code run} (nanoseconds), in ms, after untimed runs for
     * {@code warmupMs} (at least three): the JIT compiles the code first, which takes a few thousand runs of it.
     */
    static double medianMs(long warmupMs, int repeats, LongSupplier run) {
        long end = System.nanoTime() + warmupMs * 1_000_000;
        for (int i = 0; i < 3 || System.nanoTime() < end; i++) {
            run.getAsLong();
        }
        long[] ns = new long[repeats];
        for (int i = 0; i < repeats; i++) {
            ns[i] = run.getAsLong();
        }
        Arrays.sort(ns);
        return (repeats % 2 == 1 ? ns[repeats / 2] : (ns[repeats / 2 - 1] + ns[repeats / 2]) / 2.0) / 1e6;
    }

    /** The nanoseconds {@code body} takes. */
    static long time(Runnable body) {
        long start = System.nanoTime();
        body.run();
        return System.nanoTime() - start;
    }
}
