package dev.nabla.spark.costs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The time of a data-parallel step on N machines (one shard each), from measured costs and an assumed network:
 *
 * <pre>
 * synchronous   T(N) = job + task·N + bcast·W + collect·N·W + 2·N·W/bw + pass(B/N) + add·N + adam
 * local SGD     T_K(N) = pass(B/N) + adam + (job + task·N + bcast·W + collect·N·W + 2·N·W/bw + add·N) / K
 * ring          T_ring(N) = pass(B/N) + 2·(N − 1)/N · W/bw + 2·(N − 1)·latency + adam
 * </pre>
 *
 * W is the weights' size; everything but bw and latency is measured: job and task from empty jobs, bcast and collect
 * the CPU time per MB of broadcasting and collecting, pass a shard's forward and backward at its batch, add the
 * driver's addition of one shard's sums, adam the optimizer step. The driver's link carries the weights out to and
 * the sums in from every machine: that term grows with N while the pass shrinks, which is where synchronous training
 * through the driver stops scaling. The ring is an all-reduce among the executors in a barrier stage that runs many
 * steps: no job per step, and each machine sends and receives 2·(N − 1)/N·W whatever N.
 */
record StepModel(SparkCosts spark, double bandwidthMbPerS, double latencyMs) {
    double synchronousMs(ModelCosts m, int n) {
        return pass(m, n) + m.optimizerMs() + exchangeMs(m, n);
    }

    double localSgdMs(ModelCosts m, int n, int k) {
        return pass(m, n) + m.optimizerMs() + exchangeMs(m, n) / k;
    }

    double ringMs(ModelCosts m, int n) {
        double w = m.megabytes();
        return pass(m, n) + m.optimizerMs() + 2.0 * (n - 1) / n * w / bandwidthMbPerS * 1000
                + 2.0 * (n - 1) * latencyMs;
    }

    private double exchangeMs(ModelCosts m, int n) {
        double w = m.megabytes();
        return spark.jobMs() + spark.taskMs() * n + spark.broadcastMsPerMb() * w + spark.collectMsPerMb() * n * w
                + 2.0 * n * w / bandwidthMbPerS * 1000 + m.addMs() * n;
    }

    private static double pass(ModelCosts m, int n) {
        return m.shardMs().get(n);
    }

    /** The table of one network: per N, the step time and speed-up of each way, and where synchronous is fastest. */
    List<String> table(ModelCosts m, int k) {
        List<String> out = new ArrayList<>();
        double one = m.singleMachineMs();
        out.add(String.format(Locale.ROOT, "%s · %,d parameters (%.2f MB) · batch %d · one machine %.2f ms/step "
                + "(pass %.2f, Adam %.2f) · adding a shard's sums %.3f ms", m.name(), m.parameters(), m.megabytes(),
                m.batch(), one, m.shardMs().get(1), m.optimizerMs(), m.addMs()));
        out.add(String.format(Locale.ROOT, "  %4s  %10s  %22s  %22s  %22s", "N", "pass ms", "synchronous ms (×)",
                "local SGD K=" + k + " ms (×)", "ring ms (×)"));
        int best = 1;
        for (int n : m.shardMs().keySet()) {
            double sync = synchronousMs(m, n);
            if (sync < synchronousMs(m, best)) {
                best = n;
            }
            double local = localSgdMs(m, n, k);
            double ring = ringMs(m, n);
            out.add(String.format(Locale.ROOT, "  %4d  %10.2f  %13.2f (%6.2f×)  %13.2f (%6.2f×)  %13.2f (%6.2f×)", n,
                    pass(m, n), sync, one / sync, local, one / local, ring, one / ring));
        }
        out.add(String.format(Locale.ROOT, "  synchronous through the driver is fastest at N = %d (%.2f× one machine)",
                best, one / synchronousMs(m, best)));
        return out;
    }
}
