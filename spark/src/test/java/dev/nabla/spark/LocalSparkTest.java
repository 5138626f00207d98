package dev.nabla.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The test harness itself: {@link LocalSpark} runs jobs on {@code local[N]}, returns their partitions' results in
 * partition order on any number of threads, and on {@code local[N,F]} runs a failed task again.
 */
class LocalSparkTest {
    private static final int PARTITIONS = 8;

    /** What one partition's task returns: its index, which attempt of the task it was, its count and its sum. */
    record PartitionSum(int partition, int attempt, int count, float sum) implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }

    /** Floats of many magnitudes, whose float sum depends on the order in which they are added. */
    private static List<Float> values() {
        SplittableRandom random = new SplittableRandom(7);
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            values.add((float) ((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(7))));
        }
        return values;
    }

    private static PartitionSum sum(int partition, Iterator<Float> values) {
        float sum = 0;
        int count = 0;
        while (values.hasNext()) {
            sum += values.next();
            count++;
        }
        return new PartitionSum(partition, TaskContext.get().attemptNumber(), count, sum);
    }

    private static float inOrder(List<Float> partials) {
        float total = 0;
        for (float p : partials) {
            total += p;
        }
        return total;
    }

    @ParameterizedTest(name = "local[{0}]")
    @ValueSource(ints = {1, 2})
    void aJobSumsItsPartitionsAndTheDriverGetsThemInPartitionOrder(int threads) {
        List<Float> values = values();
        // Spark's parallelize cuts a list into contiguous slices: partition i holds [i·n/P, (i+1)·n/P)
        List<Float> expected = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            expected.add(inOrder(values.subList(i * values.size() / PARTITIONS, (i + 1) * values.size() / PARTITIONS)));
        }
        List<PartitionSum> sums;
        try (LocalSpark spark = LocalSpark.threads(threads).start()) {
            assertEquals("local[" + threads + "]", spark.session().sparkContext().master());
            sums = spark.context().parallelize(values, PARTITIONS)
                    .mapPartitionsWithIndex((partition, it) -> List.of(sum(partition, it)).iterator(), true)
                    .collect();
        }
        assertEquals(IntStream.range(0, PARTITIONS).boxed().toList(), sums.stream().map(PartitionSum::partition)
                .toList(), "partition order");
        assertEquals(values.size(), sums.stream().mapToInt(PartitionSum::count).sum());
        List<Float> partials = sums.stream().map(PartitionSum::sum).toList();
        assertEquals(expected, partials, "each partition's sum, bit for bit");
        assertEquals(inOrder(expected), inOrder(partials), 0.0f, "the total, in partition order");
        // float sums of these values depend on the order of the additions (one pass over all of them gives other
        // bits), so the equalities above pin Spark's slicing and order, not just the arithmetic
        assertNotEquals(inOrder(expected), inOrder(values), "one pass over all the values");
    }

    private static JavaRDD<PartitionSum> failingOnce(LocalSpark spark, List<Float> values) {
        return spark.context().parallelize(values, 4).mapPartitionsWithIndex((partition, it) -> {
            if (partition == 1 && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("partition 1 fails its first attempt, as the test asks");
            }
            return List.of(sum(partition, it)).iterator();
        }, true);
    }

    @Test
    void onLocalNFATaskThatFailsItsFirstAttemptRunsAgainAndTheJobsResultIsRight() {
        List<Float> values = IntStream.rangeClosed(1, 100).mapToObj(i -> (float) i).toList();
        List<PartitionSum> sums;
        try (var _ = LocalSpark.quietTaskFailures(); LocalSpark spark = LocalSpark.threads(2, 2).start()) {
            assertEquals("local[2,2]", spark.master());
            sums = failingOnce(spark, values).collect();
        }
        assertEquals(List.of(0, 1, 0, 0), sums.stream().map(PartitionSum::attempt).toList(), "attempts");
        assertEquals(List.of(325f, 950f, 1575f, 2200f), sums.stream().map(PartitionSum::sum).toList());

        try (var _ = LocalSpark.quietTaskFailures(); LocalSpark spark = LocalSpark.threads(2).start()) {
            SparkException e = assertThrows(SparkException.class, () -> failingOnce(spark, values).collect(),
                    "on local[2] a task has one attempt");
            assertTrue(e.getMessage().contains("partition 1 fails its first attempt"), e.getMessage());
        }
    }

    @Test
    void aSecondSessionWhileOneRunsIsRefused() {
        try (LocalSpark first = LocalSpark.threads(1).start()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalSpark.threads(2).start());
            assertTrue(e.getMessage().contains("local[1] is already running"), e.getMessage());
            assertEquals(1L, first.session().range(1).count(), "the first one still works");
        }
    }
}
