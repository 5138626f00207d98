package dev.nabla.spark.costs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What Spark itself costs a synchronous step, measured on a master: a job's latency for a number of tasks, and the
 * time per megabyte of broadcasting the weights and of collecting the tasks' results, all through the driver.
 *
 * @param jobMs      a job's fixed time (the intercept of job time against its tasks)
 * @param taskMs     each task's time in a job that does nothing (the slope)
 * @param broadcastMsPerMb the time per MB broadcast to the tasks (read by each once)
 * @param collectMsPerMb   the time per MB the driver collects
 */
record SparkCosts(double jobMs, double taskMs, double broadcastMsPerMb, double collectMsPerMb) {
    private static final int MB_FLOATS = 1 << 18;   // 2^18 floats = 1 MiB

    /**
     * Measures on {@code spark} with jobs of {@code tasks} and {@code 4 · tasks} tasks, each figure after
     * {@code warmupMs} of the same jobs untimed.
     */
    static SparkCosts measure(JavaSparkContext spark, int tasks, int repeats, long warmupMs) {
        double few = jobMs(spark, tasks, repeats, warmupMs);
        double many = jobMs(spark, 4 * tasks, repeats, warmupMs);
        double taskMs = Math.max(0, (many - few) / (3.0 * tasks));
        double jobMs = Math.max(0, few - taskMs * tasks);
        JavaRDD<Integer> parts = cached(spark, tasks);
        double small = broadcastMs(spark, parts, 1, repeats, warmupMs);
        double large = broadcastMs(spark, parts, 9, repeats, warmupMs);
        // results of 1/8 and 7/8 MiB: under spark.task.maxDirectResultSize (1 MiB), as the MLP's and the LSTM's
        // sums are; larger ones go through the block manager, slower
        double collectSmall = collectMs(parts, 1, repeats, warmupMs);
        double collectLarge = collectMs(parts, 7, repeats, warmupMs);
        parts.unpersist(false);
        return new SparkCosts(jobMs, taskMs, Math.max(0, (large - small) / 8), Math.max(0,
                (collectLarge - collectSmall) / (6.0 / 8 * tasks)));
    }

    private static JavaRDD<Integer> cached(JavaSparkContext spark, int tasks) {
        JavaRDD<Integer> rdd = spark.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks).cache();
        rdd.count();
        return rdd;
    }

    private static double jobMs(JavaSparkContext spark, int tasks, int repeats, long warmupMs) {
        JavaRDD<Integer> rdd = cached(spark, tasks);
        double ms = Measured.medianMs(warmupMs, repeats, () -> Measured.time(() -> rdd.map(i -> i).collect()));
        rdd.unpersist(false);
        return ms;
    }

    /** A job whose tasks each read a broadcast of {@code mb} MiB and return one number. */
    private static double broadcastMs(JavaSparkContext spark, JavaRDD<Integer> parts, int mb, int repeats,
                                      long warmupMs) {
        return Measured.medianMs(warmupMs, repeats, () -> {
            float[] weights = new float[mb * MB_FLOATS];
            long start = System.nanoTime();
            Broadcast<float[]> b = spark.broadcast(weights);
            parts.map(i -> b.value().length).collect();
            long ns = System.nanoTime() - start;
            b.destroy(false);
            return ns;
        });
    }

    /** A job whose tasks each return {@code eighths} eighths of a MiB. */
    private static double collectMs(JavaRDD<Integer> parts, int eighths, int repeats, long warmupMs) {
        return Measured.medianMs(warmupMs, repeats, () -> Measured.time(() -> parts.map(i -> new Payload(eighths))
                .collect()));
    }

    /** A task's result of a given size, as a shard's gradient sums are. */
    private record Payload(float[] values) implements Serializable {
        Payload(int eighths) {
            this(new float[eighths * MB_FLOATS / 8]);
        }
    }

    /** The measurements as lines of text. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(String.format(java.util.Locale.ROOT, "  job      %.2f ms + %.2f ms per task", jobMs, taskMs));
        out.add(String.format(java.util.Locale.ROOT, "  weights  %.2f ms per MB broadcast, %.2f ms per MB collected",
                broadcastMsPerMb, collectMsPerMb));
        return out;
    }
}
