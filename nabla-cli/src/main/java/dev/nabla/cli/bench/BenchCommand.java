package dev.nabla.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.Nabla;
import dev.nabla.cli.values.Converters;
import dev.nabla.kernel.Parallel;
import dev.nabla.kernel.Simd;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench}: the workloads of the PyTorch twins in {@code bench/pytorch}, with the same flags, the same
 * timing method and the same result fields, so that {@code bench/compare} can run both side by side. Each workload
 * prints a summary line and, with {@code --json}, ends with one JSON line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Nabla on the reference workloads (compare them with PyTorch: bench/compare)."},
        subcommands = {MlpBench.class, DeepBench.class, LstmBench.class, CnnBench.class, GemmBench.class,
            FmnistBench.class, PeakBench.class, ModelIoBench.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The options every workload shares. */
    static class Common {
        @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
        CommandLine.Model.CommandSpec workload;

        @Option(names = "--threads", defaultValue = "2", converter = Converters.PositiveInt.class,
                description = "Kernel threads, at most the number of cores. Default: ${DEFAULT-VALUE}.")
        int threads;

        @Option(names = "--tag", defaultValue = "", description = "A label copied into the result.")
        String tag;

        @Option(names = "--json", description = "End with one line of JSON holding the result.")
        boolean json;

        /**
         * Sets the kernels' threads, refusing more than the cores: a benchmark reports the threads it was given, and
         * more threads than cores only wait for each other (the other commands use the cores instead).
         */
        void apply() {
            int cores = Runtime.getRuntime().availableProcessors();
            if (threads > cores) {
                throw new CommandLine.ParameterException(workload.commandLine(), "--threads " + threads + " is more "
                        + "than the " + cores + " cores of this machine, and more threads than cores only wait for "
                        + "each other: give at most " + cores);
            }
            Parallel.setThreads(threads);
        }

        /** Refuses, before they are allocated, float arrays of these sizes that do not fit. */
        void checkFits(String what, long... elements) {
            String refusal = BenchValues.refusal(what, elements);
            if (refusal != null) {
                throw new CommandLine.ParameterException(workload.commandLine(), refusal);
            }
        }

        /** The fields every result starts with. */
        Map<String, Object> header(String bench) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("bench", bench);
            r.put("threads", threads);
            r.put("tag", tag);
            r.put("nabla", Nabla.version());
            r.put("jdk", Runtime.version().toString());
            r.put("kernels", Simd.describe());
            return r;
        }

        void emit(PrintWriter out, Map<String, Object> result) throws Exception {
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(result));
            }
            out.flush();
        }
    }
}
