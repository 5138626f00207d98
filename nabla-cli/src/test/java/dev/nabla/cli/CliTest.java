package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.nn.CnnSpec;
import dev.nabla.optim.Adam;
import dev.nabla.optim.OptimizerKind;
import dev.nabla.train.Trainer;
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

    /** The JSON line a command that must succeed ends with (it is given {@code --json}). */
    static JsonNode json(String... args) throws java.io.IOException {
        Result r = run(args);
        assertEquals(0, r.status(), r.err());
        return new ObjectMapper().readTree(r.lastLine());
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
    void aMistypedFlagGetsTheErrorAGuessAndWhereTheHelpIsNotTheWholeHelp() {
        Result r = run("train", "--epoch", "3");
        assertEquals(2, r.status());
        assertEquals("""
                nabla: Unknown options: '--epoch', '3'
                Did you mean --epochs?
                'nabla train --help' lists the options.
                """, r.err());
        assertEquals("", r.out());
    }

    @Test
    void aMistypedCommandGetsAGuess() {
        Result r = run("trian", "--epochs", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("Did you mean nabla train?"), r.err());
        assertTrue(r.err().contains("'nabla --help' lists the options."), r.err());
        assertTrue(r.err().lines().count() <= 3, r.err());
    }

    @Test
    void unknownActivationNamesTheChoices() {
        Result r = run("train", "--activation", "swish");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("'swish' is not one of relu, sigmoid, tanh, leaky_relu"), r.err());
        assertTrue(run("train", "--activation", "sigmoi").err().contains("did you mean sigmoid?"));
        assertTrue(run("train", "--optimizer", "SGD", "--epochs", "0").err().contains("--epochs"), "names any case");
    }

    @Test
    void helpListsTheChoicesAndDefaultsOfTheLibrary() {
        String help = run("train", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("--activation=NAME Activation after each hidden layer: relu, sigmoid, tanh, "
                + "leaky_relu. Default: relu; an rnn takes tanh (its default) or relu."), help);
        assertTrue(help.contains("Weight initialisation of an mlp: default, xavier, he, normal."), help);
        assertTrue(help.contains("--optimizer=NAME sgd, adam, adamw, rmsprop, adagrad, with PyTorch's update rules. "
                + "Default: adam."), help);
        assertTrue(help.contains("Learning rate. Default: " + Adam.DEFAULT_LR + " for adam and adamw, "
                + OptimizerKind.SGD_LR + " for sgd, rmsprop and adagrad."), help);
        assertTrue(help.contains("Samples per optimisation step. Default: " + Trainer.DEFAULT_BATCH_SIZE + " (a cnn: "
                + CnnSpec.DEFAULT_BATCH_SIZE + ", the batch of its PyTorch twin)."), help);
        assertTrue(help.contains("Passes over the training data. Default: " + Trainer.DEFAULT_EPOCHS + "."), help);
        String gradflow = run("gradflow", "--help").out().replaceAll("\\s+", " ");
        assertTrue(gradflow.contains("tanh, leaky_relu. Default: sigmoid;"), gradflow);
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
        assertTrue(run("train", "--epochs", "0").err().contains("Invalid value for option '--epochs': must be at "
                + "least 1, got 0"));
        assertTrue(run("train", "--lr", "-1").err().contains("Invalid value for option '--lr': must be finite and > 0, "
                + "got -1.0"));
        assertTrue(run("train", "--lr", "NaN").err().contains("must be finite and > 0, got NaN"));
        assertTrue(run("train", "--batch-size", "x").err().contains("'x' is not a whole number"));
        assertTrue(run("train", "--hidden", "99999999999").err().contains("is not a comma-separated list"));
    }

    @Test
    void momentumWithAnOptimizerThatHasNoneIsRefused() {
        Result r = run("train", "--optimizer", "adam", "--momentum", "0.5");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--momentum applies to sgd and rmsprop, and adam would ignore it"), r.err());
    }

    @Test
    void moreThreadsThanCoresAreCutToTheCoresWithAWarning() throws Exception {
        Result r = run("train", "--epochs", "1", "--hidden", "16", "--threads", "999", "--json");
        assertEquals(0, r.status(), r.err());
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(r.err().contains("--threads 999 is more than the " + cores + " cores of this machine; using "
                + cores), r.err());
        assertEquals(cores, new ObjectMapper().readTree(r.lastLine()).get("threads").asInt());
    }

    @Test
    void aBatchLargerThanTheDataSaysSo() throws Exception {
        Result r = run("train", "--epochs", "1", "--hidden", "16", "--batch-size", "100000", "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("batch 1,437 (--batch-size 100,000 is more than the 1,437 training samples: one "
                + "batch per epoch)"), r.err());
        assertEquals(1437, new ObjectMapper().readTree(r.lastLine()).get("batch_size").asInt());
    }

    @Test
    void aNetworkTooLargeForTheHeapIsRefusedWithTheMemoryItNeedsBeforeAllocating() {
        Result r = run("train", "--hidden", "3000000", "--epochs", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("the network 64-3000000-10 (225,000,010 parameters) and its training need about "),
                r.err());
        assertTrue(r.err().contains("heap: use smaller --hidden sizes, or give Java more memory, e.g. "
                + "NABLA_JAVA_OPTS=-Xmx"), r.err());
        assertFalse(r.err().contains("at dev.nabla"), "no stack trace: " + r.err());
    }

    @Test
    void aLayerTooWideForAJavaArrayIsRefusedSayingSo() {
        Result r = run("train", "--hidden", "30000000", "--epochs", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("a batch of 360 samples through its widest layer (30,000,000 values per sample) "
                + "is 10,800,000,000 values (40.2 GiB), more than a Java array holds"), r.err());
        r = run("train", "--hidden", "2000000000", "--epochs", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("has a weight matrix of 128,000,000,000 values (476.8 GiB), more than a Java array "
                + "holds"),
                r.err());
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
        assertTrue(r.err().contains("or a CSV file (a header row, numeric feature columns, a label column)"), r.err());
    }

    @Test
    void aRegularFileOfAnyNameIsReadAsCsv(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path data = dir.resolve("measurements.txt");
        StringBuilder sb = new StringBuilder("a,b,kind\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 2).append(',').append(i % 3).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        java.nio.file.Files.writeString(data, sb);
        Result r = run("train", "--data", data.toString(), "--epochs", "30", "--hidden", "8", "--lr", "0.05",
                "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals(1.0, new ObjectMapper().readTree(r.lastLine()).get("test_accuracy").asDouble(),
                "column a is the class");
    }

    @Test
    void helpExplainsEveryTrainFlag() {
        Result r = run("train", "--help");
        assertEquals(0, r.status());
        for (String flag : new String[] {"--data", "--hidden", "--activation", "--init", "--optimizer", "--lr",
            "--momentum", "--weight-decay", "--batch-size", "--epochs", "--seed", "--threads", "--json", "--batchnorm",
            "--clip-norm", "--clip-value", "--monitor-every", "--report"}) {
            assertTrue(r.out().contains(flag) || r.out().contains(flag.replace("--", "--[no-]")), "help lacks " + flag);
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

    @Test
    void demoShowsManyImagesFourToARowAndRefusesANegativeCount() {
        Result r = run("demo", "--samples", "1000");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("(all 360 of the test split)"), r.out());
        assertEquals(360, r.out().lines().filter(l -> l.contains("says")).mapToInt(l -> l.split("says").length - 1)
                .sum());
        assertTrue(r.out().lines().allMatch(l -> l.length() <= 100), "no line wider than 100 columns");
        Result negative = run("demo", "--samples", "-1");
        assertEquals(2, negative.status());
        assertTrue(negative.err().contains("Invalid value for option '--samples': must be at least 1, got -1"),
                negative.err());
    }
}
