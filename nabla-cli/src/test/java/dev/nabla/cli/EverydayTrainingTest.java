package dev.nabla.cli;

import static dev.nabla.cli.CliTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning-rate schedules, validation and early stopping, and dropout, through the command line. */
class EverydayTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aCosineScheduleGivesEachEpochPyTorchsRate() throws IOException {
        JsonNode run = json("train", "--data", "digits", "--epochs", "10", "--lr", "0.1", "--lr-schedule", "cosine",
                "--json");
        // PyTorch's CosineAnnealingLR(T_max=10) from 0.1, written by tools/fixtures/schedules.py
        JsonNode torch = JSON.readTree(Path.of(System.getProperty("basedir", "."), "..", "nabla-core", "src", "test",
                "resources", "fixtures", "schedules.json").toFile()).get("cases").get("cosine").get("lrs");
        assertEquals(10, run.get("history").size());
        for (int e = 0; e < 10; e++) {
            double expected = torch.get(e).asDouble();
            double actual = run.get("history").get(e).get("lr").asDouble();
            assertEquals(expected, actual, 1e-6 * expected, "epoch " + (e + 1));
        }
        assertEquals("cosine", run.get("lr_schedule").asText());
    }

    @Test
    void perStepSchedulesChangeTheRateWithinAnEpoch() throws IOException {
        JsonNode run = json("train", "--data", "digits", "--epochs", "4", "--lr", "0.05", "--lr-schedule",
                "warmup:1,cosine", "--json");
        JsonNode h = run.get("history");
        assertEquals(0.05 / 23, h.get(0).get("lr").asDouble(), 1e-12, "the warm-up starts at lr / its steps");
        assertTrue(h.get(1).get("lr").asDouble() > h.get(2).get("lr").asDouble(), "then the cosine falls");
        JsonNode onecycle = json("train", "--data", "digits", "--epochs", "3", "--lr", "0.05", "--lr-schedule",
                "onecycle", "--json");
        assertEquals(0.05 / 25, onecycle.get("history").get(0).get("lr").asDouble(), 1e-12);
    }

    @Test
    void earlyStoppingEndsWithTheBestEpochsWeightsAndTestsThemOnce() throws IOException {
        Path run = dir.resolve("run");
        JsonNode result = json("train", "--data", "digits", "--epochs", "80", "--val-fraction", "0.2",
                "--early-stopping", "3", "--optimizer", "adam", "--lr", "0.01", "--hidden", "64", "--checkpoint",
                run.toString(), "--json");
        int best = result.get("best_epoch").asInt();
        int stopped = result.get("stopped_epoch").asInt();
        assertTrue(stopped < 80 && stopped == best + 3, "best " + best + ", stopped " + stopped);
        JsonNode history = result.get("history");
        double bestLoss = history.get(best - 1).get("val_loss").asDouble();
        for (JsonNode e : history) {
            assertTrue(e.get("val_loss").asDouble() >= bestLoss, "epoch " + e.get("epoch") + " had a lower loss");
            assertTrue(e.get("test_accuracy").isNull() || Double.isNaN(e.get("test_accuracy").asDouble()),
                    "the test set is not touched before the end");
        }
        JsonNode eval = json("eval", "--model", run.toString(), "--data", "digits", "--json");
        assertEquals(eval.get("accuracy").asDouble(), result.get("test_accuracy").asDouble(), 1e-12,
                "the test accuracy is that of the saved, best weights");
        CliTest.Result again = CliTest.run("train", "--resume", run.toString());
        assertTrue(again.err().contains("is complete: it stopped early"), again.err());
    }

    @Test
    void dropoutAppearsInTheModelAndItsFile() throws IOException {
        Path run = dir.resolve("dropout");
        JsonNode result = json("train", "--data", "digits", "--epochs", "2", "--hidden", "32", "--dropout", "0.3",
                "--checkpoint", run.toString(), "--json");
        assertTrue(result.get("model").asText().contains("+dropout 0.3"), result.get("model").asText());
        CliTest.Result inspect = CliTest.run("inspect", run.resolve("model.safetensors").toString());
        assertTrue(inspect.out().contains("64-32-10 relu+dropout 0.3"), inspect.out());
    }

    @Test
    void shardedTrainingLearnsAndAPerStepScheduleCountsItsBatches() throws IOException {
        JsonNode sharded = json("train", "--data", "digits", "--epochs", "8", "--hidden", "64", "--batchnorm",
                "--optimizer", "adam", "--lr", "0.003", "--shards", "4", "--lr-schedule", "warmup:1,cosine", "--json");
        assertEquals(4, sharded.get("shards").asInt());
        assertTrue(sharded.get("test_accuracy").asDouble() > 0.9, sharded.toString());
        // 1437 training samples in 4 shards of at most 360, in parts of 16: 23 batches, as without shards
        assertEquals(0.003 / 23, sharded.get("history").get(0).get("lr").asDouble(), 1e-12);
        JsonNode again = json("train", "--data", "digits", "--epochs", "8", "--hidden", "64", "--batchnorm",
                "--optimizer", "adam", "--lr", "0.003", "--shards", "4", "--lr-schedule", "warmup:1,cosine", "--json");
        assertEquals(sharded.get("train_loss").asDouble(), again.get("train_loss").asDouble(), 0.0);
    }

    @Test
    void rmspropAdagradAndAccumulationTrain() throws IOException {
        for (String[] args : new String[][] {{"--optimizer", "rmsprop", "--lr", "0.001"},
            {"--optimizer", "rmsprop", "--lr", "0.001", "--momentum", "0.5"}, {"--optimizer", "adagrad", "--lr", "0.05"},
            {"--optimizer", "adam", "--lr", "0.003", "--accumulate", "4", "--batch-size", "16"}}) {
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("train", "--data", "digits",
                    "--epochs", "8", "--hidden", "64", "--json"));
            command.addAll(java.util.List.of(args));
            JsonNode result = json(command.toArray(String[]::new));
            assertTrue(result.get("test_accuracy").asDouble() > 0.9, String.join(" ", args) + ": " + result);
        }
    }

    @Test
    void badCombinationsAreRefusedNamingTheFix() {
        CliTest.Result noVal = CliTest.run("train", "--early-stopping", "3");
        assertEquals(2, noVal.status());
        assertTrue(noVal.err().contains("--early-stopping watches the validation loss: add --val-fraction F"),
                noVal.err());
        CliTest.Result schedule = CliTest.run("train", "--lr-schedule", "sawtooth");
        assertEquals(2, schedule.status());
        assertTrue(schedule.err().contains("'sawtooth' is not a schedule; the schedules are step:N[,G]"),
                schedule.err());
        CliTest.Result dropout = CliTest.run("train", "--dropout", "1");
        assertEquals(2, dropout.status());
        CliTest.Result oneLayer = CliTest.run("train", "--model", "lstm", "--hidden", "16", "--dropout", "0.2");
        assertEquals(2, oneLayer.status());
        assertTrue(oneLayer.err().contains("--dropout acts between stacked recurrent layers"), oneLayer.err());
    }

    @Test
    @Tag("integration")
    void fashionMnistStopsEarlyByItself() throws IOException {
        JsonNode result = json("train", "--data", "fashion-mnist", "--val-fraction", "0.1", "--early-stopping", "3",
                "--epochs", "50", "--optimizer", "adam", "--lr", "1e-3", "--json");
        System.out.println("fashion-mnist with early stopping: best epoch " + result.get("best_epoch")
                + ", stopped after " + result.get("stopped_epoch") + ", test accuracy " + result.get("test_accuracy"));
        assertTrue(result.get("stopped_epoch").asInt() < 50);
        assertEquals(result.get("best_epoch").asInt() + 3, result.get("stopped_epoch").asInt());
        assertTrue(result.get("test_accuracy").asDouble() > 0.85, result.toString());
    }
}
