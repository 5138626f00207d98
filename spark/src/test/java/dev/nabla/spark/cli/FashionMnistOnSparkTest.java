package dev.nabla.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.Main;
import dev.nabla.spark.SparkShards;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Fashion-MNIST MLP with BatchNorm, one epoch, on Spark: the same {@code train_loss} bits on {@code local[1]} and
 * {@code local[2]}, with synchronised BatchNorm too, and when a task fails once; and the test accuracy of
 * {@code nabla train} with the same flags.
 */
@Tag("integration")
class FashionMnistOnSparkTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUN = List.of("train", "--data", "fashion-mnist", "--batchnorm", "--shards", "4",
            "--epochs", "1", "--json");

    private static JsonNode nablaTrain(List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)),
                err.toString());
        return JSON.readTree(out.toString());
    }

    private static JsonNode onSpark(List<String> args, String master) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--master", master));
        SparkTrainCommandTest.Result r = SparkTrainCommandTest.sparkRun(all);
        assertEquals(0, r.status(), r.err());
        JsonNode json = r.json();
        System.out.println("fashion-mnist on " + master + " " + String.join(" ", args) + ": train_loss "
                + json.get("train_loss") + ", test accuracy " + json.get("test_accuracy") + ", "
                + json.get("seconds") + " s");
        return json;
    }

    private static void assertSameRun(JsonNode expected, JsonNode actual, String what) {
        assertEquals(expected.get("train_loss").asDouble(), actual.get("train_loss").asDouble(), 0.0, what);
        assertEquals(expected.get("test_accuracy").asDouble(), actual.get("test_accuracy").asDouble(), 0.0, what);
    }

    @Test
    void oneAndTwoExecutorsPrintTheTrainLossOfNablaTrainWithTheSameFlags() throws Exception {
        JsonNode here = nablaTrain(RUN);
        assertTrue(here.get("test_accuracy").asDouble() > 0.83, here.toString());
        assertSameRun(here, onSpark(RUN, "local[1]"), "local[1]");
        assertSameRun(here, onSpark(RUN, "local[2]"), "local[2]");
    }

    @Test
    void withSynchronisedBatchNormToo() throws Exception {
        List<String> sync = new ArrayList<>(RUN);
        sync.add("--sync-batchnorm");
        JsonNode one = onSpark(sync, "local[1]");
        assertSameRun(one, onSpark(sync, "local[2]"), "local[2] against local[1]");
        assertSameRun(nablaTrain(sync), one, "nabla train against local[1]");
    }

    @Test
    void andWhenATaskFailsOnce() throws Exception {
        JsonNode expected = onSpark(RUN, "local[2]");
        System.setProperty(SparkShards.FAIL_ONCE, "100:3");
        try {
            assertSameRun(expected, onSpark(RUN, "local[2,2]"), "with the task of shard 3 at step 100 failing once");
        } finally {
            System.clearProperty(SparkShards.FAIL_ONCE);
        }
    }
}
