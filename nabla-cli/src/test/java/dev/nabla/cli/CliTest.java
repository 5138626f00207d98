package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    /** What one run of the command printed and returned. */
    record Result(int status, String out, String err) {
        String lastLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void jsonIsTheLastLineOfStandardOutputWithTheResultFields() throws Exception {
        Result r = run("train", "--data", "digits", "--epochs", "2", "--hidden", "32", "--lr", "0.01",
                "--seed", "3", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        for (String field : new String[] {"test_accuracy", "test_loss", "train_loss", "epochs", "seconds",
            "samples_per_second"}) {
            assertTrue(json.has(field), "missing " + field + " in " + r.lastLine());
        }
        assertEquals(2, json.get("epochs").asInt());
        assertTrue(json.get("test_accuracy").asDouble() > 0.5, r.lastLine());
    }

    @Test
    void sameSeedGivesTheSameResult() throws Exception {
        String[] args = {"train", "--epochs", "1", "--hidden", "16", "--seed", "5", "--threads", "2", "--json"};
        JsonNode a = new ObjectMapper().readTree(run(args).lastLine());
        JsonNode b = new ObjectMapper().readTree(run(args).lastLine());
        assertEquals(a.get("train_loss").asDouble(), b.get("train_loss").asDouble());
        assertEquals(a.get("test_loss").asDouble(), b.get("test_loss").asDouble());
    }

    @Test
    void unknownFlagIsAUsageError() {
        Result r = run("train", "--learning-rate", "0.1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Unknown options: '--learning-rate'"), r.err());
        assertTrue(r.err().contains("Usage: nabla train"), r.err());
    }

    @Test
    void unknownActivationNamesTheChoices() {
        Result r = run("train", "--activation", "swish");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("'swish' is not one of relu, sigmoid, tanh, leaky_relu"), r.err());
    }

    @Test
    void hiddenSizesThatAreNotNumbersAreRejected() {
        Result r = run("train", "--hidden", "abc");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("'abc' is not a comma-separated list of positive layer sizes"), r.err());
        assertTrue(r.err().contains("--hidden 256,128"), r.err());
    }

    @Test
    void nonPositiveNumbersAreRejected() {
        assertTrue(run("train", "--epochs", "0").err().contains("--epochs"));
        assertTrue(run("train", "--lr", "-1").err().contains("--lr must be a positive number"));
        assertEquals(2, run("train", "--batch-size", "x").status());
    }

    @Test
    void batchnormPutsBatchNormInTheModelAndSaysSo() throws Exception {
        Result r = run("train", "--data", "digits", "--epochs", "2", "--hidden", "32,16", "--batchnorm", "--seed", "3",
                "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        assertEquals("64-32-16-10 relu+bn, init default", json.get("model").asText());
        assertTrue(json.get("batchnorm").asBoolean());
        assertEquals(64 * 32 + 32 + 2 * 32 + 32 * 16 + 16 + 2 * 16 + 16 * 10 + 10, json.get("parameters").asInt());
        assertTrue(json.get("test_accuracy").asDouble() > 0.5, r.lastLine());
    }

    @Test
    void batchnormRefusesABatchSizeThatLeavesOneSampleInABatch() {
        // digits has 1437 training samples: batches of 2 leave one sample at the end
        for (String size : new String[] {"1", "2"}) {
            Result r = run("train", "--batchnorm", "--batch-size", size, "--epochs", "1");
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains("--batchnorm needs at least two samples in every training batch"), r.err());
        }
    }

    @Test
    void missingDataDirectorySaysWhatIsMissing(@TempDir Path dir) {
        Result r = run("train", "--data", dir.toString(), "--epochs", "1");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("train-images-idx3-ubyte"), r.err());
        assertTrue(r.err().contains(dir.toString()), r.err());
    }

    @Test
    void unknownDataNameListsTheAcceptedValues() {
        Result r = run("train", "--data", "cifar", "--epochs", "1");
        assertEquals(1, r.status());
        assertTrue(r.err().contains("digits") && r.err().contains("fashion-mnist"), r.err());
    }

    @Test
    void helpExplainsEveryTrainFlag() {
        Result r = run("train", "--help");
        assertEquals(0, r.status());
        for (String flag : new String[] {"--data", "--hidden", "--activation", "--init", "--optimizer", "--lr",
            "--momentum", "--weight-decay", "--batch-size", "--epochs", "--seed", "--threads", "--json", "--batchnorm",
            "--clip-norm", "--clip-value", "--monitor-every", "--report"}) {
            assertTrue(r.out().contains(flag), "help lacks " + flag);
        }
    }

    @Test
    void topLevelHelpListsTheCommands() {
        Result r = run("--help");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("train") && r.out().contains("demo") && r.out().contains("softmax")
                && r.out().contains("gradflow"), r.out());
    }

    @Test
    void demoTrainsAndShowsPredictions() {
        Result r = run("demo", "--samples", "3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("test accuracy"), r.out());
        assertTrue(r.out().contains("says"), r.out());
    }
}
