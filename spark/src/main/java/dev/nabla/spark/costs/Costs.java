package dev.nabla.spark.costs;

import dev.nabla.nn.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures what a data-parallel step costs ({@link SparkCosts}, {@link ModelCosts}) and models it on N machines
 * ({@link StepModel}); {@code nabla-spark costs} prints the result.
 */
public final class Costs {
    private Costs() {
    }

    /**
     * A network to model.
     *
     * @param name  its name, as {@code nabla train} prints it
     * @param spec  the network
     * @param batch its global batch
     */
    public record Network(String name, ModelSpec spec, int batch) {}

    /**
     * Measures Spark on {@code spark} and each network on this machine, and returns the report's lines: the measured
     * costs, then per network the modelled step on 1, 2, 4, … machines (as many as leave two samples per shard).
     * Each figure is the median of {@code repeats} timings after {@code warmupMs} untimed (three times that for
     * Spark's jobs).
     */
    public static List<String> measure(JavaSparkContext spark, int tasks, int repeats, long warmupMs,
                                       double bandwidthMbPerS, double latencyMs, int syncEvery,
                                       List<Network> networks) {
        List<String> out = new ArrayList<>();
        SparkCosts costs = SparkCosts.measure(spark, tasks, repeats, 3 * warmupMs);
        out.add(String.format(Locale.ROOT, "Spark %s on %s (measured, medians of %d):", spark.version(), spark.master(),
                repeats));
        out.addAll(costs.lines());
        out.add(String.format(Locale.ROOT, "  network  %.0f MB/s per machine, %.3f ms per message (assumed)",
                bandwidthMbPerS, latencyMs));
        StepModel model = new StepModel(costs, bandwidthMbPerS, latencyMs);
        for (Network n : networks) {
            List<Integer> machines = new ArrayList<>();
            for (int m = 1; n.batch() % m == 0 && n.batch() / m >= 2; m *= 2) {
                machines.add(m);
            }
            out.add("");
            out.addAll(model.table(ModelCosts.measure(n.name(), n.spec(), n.batch(), machines, repeats, warmupMs),
                    syncEvery));
        }
        return out;
    }
}
