package dev.nabla.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code nabla-spark train} as a user runs it: the result of {@code nabla train --shards}, and clear refusals. */
class SparkTrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> RUN = List.of("train", "--data", "digits", "--hidden", "64", "--batchnorm",
            "--dropout", "0.1", "--optimizer", "adam", "--lr", "0.003", "--epochs", "3", "--shards", "4", "--json");

    /** The exit status, standard output and standard error of a command line. */
    record Result(int status, String out, String err) {
        JsonNode json() throws Exception {
            return JSON.readTree(out);
        }
    }

    static Result sparkRun(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = NablaSpark.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    private static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static JsonNode nablaTrain(List<String> args) throws Exception {
        StringWriter out = new StringWriter();
        assertEquals(0, Main.run(args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true)));
        return JSON.readTree(out.toString());
    }

    @Test
    void withSynchronisedBatchNormItPrintsWhatNablaTrainPrintsToo() throws Exception {
        List<String> run = with(RUN, "--sync-batchnorm");
        JsonNode here = nablaTrain(run);
        Result spread = sparkRun(with(run, "--master", "local[2]"));
        assertEquals(0, spread.status(), spread.err());
        assertEquals(here.get("train_loss").asDouble(), spread.json().get("train_loss").asDouble(), 0.0);
        assertTrue(spread.err().contains("BatchNorm synchronised"), spread.err());
        assertTrue(here.get("test_accuracy").asDouble() > 0.9, here.toString());
    }

    @Test
    void onAnyNumberOfExecutorsItPrintsWhatNablaTrainWithAsManyShardsPrints() throws Exception {
        JsonNode here = nablaTrain(RUN);
        for (String master : new String[] {"local[1]", "local[2]"}) {
            Result spread = sparkRun(with(RUN, "--master", master));
            assertEquals(0, spread.status(), spread.err());
            JsonNode json = spread.json();
            assertEquals(here.get("train_loss").asDouble(), json.get("train_loss").asDouble(), 0.0, master);
            assertEquals(here.get("test_accuracy").asDouble(), json.get("test_accuracy").asDouble(), 0.0, master);
            assertEquals(4, json.get("shards").asInt());
            assertTrue(json.get("test_accuracy").asDouble() > 0.9, json.toString());
            assertTrue(spread.err().contains("spark  " + master + " · Spark 4.2.0 · 4 shards of 16 samples"),
                    spread.err());
        }
    }

    @Test
    void localSgdGivesTheSameBitsOnOneAndTwoExecutorsAndLearns() throws Exception {
        List<String> local = with(RUN, "--sync-every", "4");
        JsonNode one = sparkRun(with(local, "--master", "local[1]")).json();
        Result two = sparkRun(with(local, "--master", "local[2]"));
        assertEquals(0, two.status(), two.err());
        assertEquals(one.get("train_loss").asDouble(), two.json().get("train_loss").asDouble(), 0.0);
        assertEquals(18, one.get("steps").asInt(), "23 batches an epoch in rounds of 4: 6 rounds, 3 epochs");
        assertTrue(one.get("test_accuracy").asDouble() > 0.85, one.toString());
        assertTrue(two.err().contains("local SGD, averaged every 4 steps"), two.err());
        Result both = sparkRun(with(local, "--sync-batchnorm"));
        assertEquals(2, both.status());
        assertTrue(both.err().contains("--sync-every and --sync-batchnorm do not go together"), both.err());
    }

    @Test
    void withoutShardsOrWithARegressionTaskOrABadMasterItSaysWhatToGive() {
        Result noShards = sparkRun(List.of("train", "--data", "digits", "--epochs", "1"));
        assertEquals(2, noShards.status());
        assertTrue(noShards.err().contains("give --shards N"), noShards.err());
        Result uneven = sparkRun(List.of("train", "--data", "digits", "--shards", "3"));
        assertEquals(2, uneven.status());
        assertTrue(uneven.err().contains("multiple of the shards"), uneven.err());
        Result master = sparkRun(List.of("train", "--data", "digits", "--shards", "4", "--epochs", "1", "--master",
                "nowhere"));
        assertEquals(2, master.status(), master.err());
        assertTrue(master.err().contains("--master nowhere") && master.err().contains("local[N]"), master.err());
        assertTrue(!master.err().contains("\tat "), master.err());
    }

    @Test
    void itsHelpNamesItAndNablaTrainsOptions() {
        Result help = sparkRun(List.of("train", "--help"));
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Usage: nabla-spark train") && help.out().contains("--master")
                && help.out().contains("--shards") && help.out().contains("--batchnorm"), help.out());
    }
}
