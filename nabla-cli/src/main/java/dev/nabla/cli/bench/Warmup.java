package dev.nabla.cli.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Untimed calls before a measurement, until the JIT has finished with them. The vector kernels run many times
 * slower until the JIT has compiled them, and while it compiles, its threads take a core from the kernels' own
 * threads (on a 2-core machine, one of the two): a fixed count of warm-up steps, enough for a CPython process,
 * leaves the first timed blocks of a JVM both slower and noisy. So the warm-up goes on until the JIT has spent no
 * time compiling for {@link #QUIET_SECONDS}, after at least the caller's minimum count and time, and at most
 * {@link #MAX_SECONDS}.
 */
final class Warmup {
    static final double QUIET_SECONDS = 0.5;
    static final double MAX_SECONDS = 20.0;

    private Warmup() {
    }

    /**
     * Runs {@code call} at least {@code minCalls} times, for at least {@code minSeconds}, and until the JIT is quiet;
     * returns the seconds it took.
     */
    static double run(Runnable call, int minCalls, double minSeconds) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime();
        long lastCompiling = start;
        long compiled = watch ? jit.getTotalCompilationTime() : 0;
        for (int i = 0; ; i++) {
            long now = System.nanoTime();
            if (watch) {
                long total = jit.getTotalCompilationTime();
                if (total != compiled) {
                    compiled = total;
                    lastCompiling = now;
                }
            }
            boolean enough = i >= minCalls && now - start >= minSeconds * 1e9
                    && (!watch || now - lastCompiling >= QUIET_SECONDS * 1e9);
            if (enough || now - start >= MAX_SECONDS * 1e9) {
                return (now - start) / 1e9;
            }
            call.run();
        }
    }
}
