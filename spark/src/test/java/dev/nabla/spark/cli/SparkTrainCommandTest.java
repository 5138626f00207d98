package dev.nabla.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla-spark train} as a user runs it: the result of {@code nabla train --shards}, for classifiers and
 * regression models, and clear refusals.
 */
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

    /**
     * A regression CSV of 800 rows: four standard normal features and two targets, u = 300 + 40 (2a − b + sin 2c)
     * and v = −5 + d² − ab, each with a little noise.
     */
    private static Path regressionCsv(Path dir) throws Exception {
        Random random = new Random(11);
        List<String> lines = new ArrayList<>(List.of("a,b,c,d,u,v"));
        for (int r = 0; r < 800; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            double c = random.nextGaussian();
            double d = random.nextGaussian();
            double u = 300 + 40 * (2 * a - b + Math.sin(2 * c)) + random.nextGaussian();
            double v = -5 + d * d - a * b + 0.05 * random.nextGaussian();
            lines.add(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f,%.4f,%.4f", a, b, c, d, u, v));
        }
        Path csv = dir.resolve("uv.csv");
        Files.write(csv, lines);
        return csv;
    }

    @Test
    void aRegressionModelTrainsOnAnyNumberOfExecutorsToWhatNablaTrainGives(@TempDir Path dir) throws Exception {
        List<String> run = List.of("train", "--data", regressionCsv(dir).toString(), "--task", "regression",
                "--label-column", "u,v", "--loss", "huber:0.5", "--batchnorm", "--hidden", "64", "--lr", "0.003", "--epochs", "10",
                "--shards", "4", "--json");
        JsonNode here = nablaTrain(run);
        assertTrue(here.get("test_r2").asDouble() > 0.75, here.toString());
        for (String master : new String[] {"local[1]", "local[2]"}) {
            Result spread = sparkRun(with(run, "--master", master));
            assertEquals(0, spread.status(), spread.err());
            JsonNode json = spread.json();
            assertEquals("regression", json.get("task").asText());
            assertEquals(here.get("train_loss").asDouble(), json.get("train_loss").asDouble(), 0.0, master);
            assertEquals(here.get("test_r2").asDouble(), json.get("test_r2").asDouble(), 0.0, master);
            assertEquals(here.get("test_rmse").asDouble(), json.get("test_rmse").asDouble(), 0.0, master);
        }
        List<String> local = with(run, "--sync-every", "2");
        JsonNode one = sparkRun(with(local, "--master", "local[1]")).json();
        JsonNode two = sparkRun(with(local, "--master", "local[2]")).json();
        assertEquals(one.get("train_loss").asDouble(), two.get("train_loss").asDouble(), 0.0);
        assertTrue(one.get("test_r2").asDouble() > 0.7, one.toString());
    }

    @Test
    void withoutShardsOrWithABadMasterItSaysWhatToGive() {
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
