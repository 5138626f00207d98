package dev.nabla.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.kernel.Parallel;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --threads} (a picocli mixin): how many threads the kernels split their work over. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Threads for the kernels, at most the number of cores. Default: the number of cores.")
    Integer threads;

    /**
     * Sets the kernels' thread count: the one asked for, but no more than the cores, saying so on {@code err} when
     * it had to cut: more threads than cores only wait for each other (999 threads on 2 cores ran 5 times slower).
     */
    void apply(PrintWriter err) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null && threads > cores) {
            err.println("nabla: --threads " + threads + " is more than the " + cores + " cores of this machine; using "
                    + cores + " (more threads than cores only wait for each other)");
            err.flush();
        }
        Parallel.setThreads(threads == null ? cores : Math.min(threads, cores));
    }
}
