package dev.nabla.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code nabla-spark costs} measures Spark and the three networks and prints the model's tables. */
class CostsCommandTest {
    @Test
    void itPrintsSparksCostsAndATablePerNetwork() {
        SparkTrainCommandTest.Result r = SparkTrainCommandTest.sparkRun(List.of("costs", "--master", "local[2]",
                "--repeats", "1", "--warmup-ms", "0"));
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("Spark 4.2.0 on local[2]"), out);
        for (String network : new String[] {"mlp 784-256-10 relu+bn · 204,042 parameters",
            "lstm 28×28-128-10 · 82,186 parameters", "cnn 32,64-128-10 · 421,642 parameters"}) {
            assertTrue(out.contains(network), network + " in\n" + out);
        }
        assertEquals(3, out.lines().filter(l -> l.contains("synchronous through the driver is fastest at N = ")).count(),
                out);
        assertTrue(out.lines().anyMatch(l -> l.matches(" +64 +[0-9.]+ .*")), "the CNN's batch of 128 goes to 64 shards");
    }
}
