package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code nabla train} adds for gradient flow: clipping flags, live warnings and the report. */
class TrainDiagnosticsTest {
    private static List<String> warnings(String out) {
        return Arrays.stream(out.split("\n")).filter(l -> l.startsWith("warning")).toList();
    }

    @Test
    void aDeepSigmoidNetworkWarnsOnceAboutVanishingGradientsNotOncePerStep() {
        String hidden = String.join(",", Collections.nCopies(12, "64"));
        CliTest.Result r = CliTest.run("train", "--hidden", hidden, "--activation", "sigmoid", "--epochs", "3",
                "--monitor-every", "2", "--seed", "1", "--threads", "2");
        assertEquals(0, r.status(), r.err());
        List<String> warnings = warnings(r.out());
        assertEquals(1, warnings.stream().filter(w -> w.contains("vanishing gradients")).count(), r.out());
        assertTrue(warnings.get(0).startsWith("warning  step 1: vanishing gradients: at step 1 the first layer's "
                + "weight gradient (0.weight"), warnings.get(0));
        assertTrue(warnings.get(0).contains("Try: Use ReLU with He initialisation"), warnings.get(0));
        assertEquals(warnings.size(), warnings.stream().distinct().count(), "one line per condition");
        assertTrue(r.out().contains("gradients  vanishing"), r.out());
    }

    @Test
    void aHealthyRunPrintsNoWarning() throws Exception {
        CliTest.Result r = CliTest.run("train", "--hidden", "64", "--epochs", "2", "--seed", "1", "--json");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(), warnings(r.err()));
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        assertEquals("healthy", json.get("gradient_verdict").asText());
        assertTrue(json.get("clip_norm").isNull());
    }

    @Test
    void clipFlagsReachTheTrainerAndTheJson() throws Exception {
        CliTest.Result r = CliTest.run("train", "--hidden", "32", "--epochs", "1", "--clip-norm", "0.01",
                "--clip-value", "0.5", "--seed", "2", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        assertEquals(0.01, json.get("clip_norm").asDouble());
        assertEquals(0.5, json.get("clip_value").asDouble());
        CliTest.Result unclipped = CliTest.run("train", "--hidden", "32", "--epochs", "1", "--seed", "2", "--json");
        assertTrue(json.get("train_loss").asDouble() != new ObjectMapper().readTree(unclipped.lastLine())
                .get("train_loss").asDouble(), "clipping to 0.01 changes the run");
        assertEquals(2, CliTest.run("train", "--clip-norm", "0").status());
        assertTrue(CliTest.run("train", "--clip-value", "-1").err().contains("Invalid value for option '--clip-value': "
                + "must be finite and > 0"));
    }

    @Test
    void theReportIsWrittenWithItsThreeFiles(@TempDir Path dir) throws Exception {
        CliTest.Result r = CliTest.run("train", "--hidden", "32", "--epochs", "2", "--seed", "1", "--report",
                dir.resolve("run").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("report " + dir.resolve("run").resolve("report.html")), r.out());
        String html = Files.readString(dir.resolve("run/report.html"));
        assertTrue(html.contains("Training report: 64-32-10 relu, init default"));
        List<String> csv = Files.readAllLines(dir.resolve("run/metrics.csv"));
        assertEquals(3, csv.size(), "header and two epochs: " + csv);
        assertTrue(csv.get(0).startsWith("epoch,train_loss,train_accuracy,test_loss,test_accuracy"));
        JsonNode history = new ObjectMapper().readTree(dir.resolve("run/history.json").toFile());
        assertEquals(2, history.get("epochs").size());
        assertEquals(46, history.get("steps").get("loss").size());
        assertEquals("healthy", history.get("diagnosis").get("verdict").asText());
        try (var files = Files.list(dir.resolve("run"))) {
            assertEquals(List.of("history.json", "metrics.csv", "report.html"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left");
        }
    }

    @Test
    void aDivergedRunNamesWhereTheFirstNanAppearedAndStillWritesTheReport(@TempDir Path dir) {
        CliTest.Result r = CliTest.run("train", "--hidden", "64,64,64,64", "--init", "normal", "--optimizer", "sgd",
                "--lr", "1", "--momentum", "0", "--epochs", "1", "--report", dir.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.err().contains("The first non-finite value: step "), r.err());
        assertTrue(Files.exists(dir.resolve("report.html")));
        assertTrue(r.out().contains("warning  step 1: exploding gradients"), r.out());
    }

    @Test
    void anUnwritableReportPathIsRefusedInASentenceBeforeTraining(@TempDir Path dir) throws Exception {
        for (String[] command : new String[][] {{"train", "--epochs", "1"}, {"gradflow", "--steps", "1"}}) {
            CliTest.Result r = CliTest.run(command[0], command[1], command[2], "--report", "/proc/nope");
            assertEquals(1, r.status(), r.out());
            assertTrue(r.err().startsWith("nabla: --report /proc/nope: cannot write into /proc/nope ("), r.err());
            assertTrue(r.err().contains("): give a directory you can write to"), r.err());
            assertFalse(r.out().contains("data "), "nothing ran: " + r.out());
        }
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        CliTest.Result r = CliTest.run("train", "--epochs", "1", "--report", file.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("--report " + file + " is a file; the report is three files"), r.err());
        assertEquals("mine", Files.readString(file));
    }

    @Test
    void aReportThatFailsAtTheEndIsReportedAfterTheResults(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("report.html"));
        Files.writeString(dir.resolve("report.html/keep"), "a directory where the page should go");
        CliTest.Result r = CliTest.run("train", "--hidden", "16", "--epochs", "1", "--report", dir.toString(),
                "--json");
        assertEquals(1, r.status());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        assertTrue(json.get("test_accuracy").asDouble() > 0, "the results are out: " + r.out());
        assertTrue(r.err().contains("done   test accuracy"), r.err());
        assertTrue(r.err().contains("nabla: the results are above, but the report could not be written to " + dir),
                r.err());
        assertTrue(r.err().indexOf("done   test accuracy") < r.err().indexOf("could not be written"), r.err());
    }

    @Test
    void detectAnomalyStopsAtTheOpWhereTheFirstInfinityBeganAndLeavesTheModeOff() {
        CliTest.Result r = CliTest.run("train", "--hidden", "64,64,64,64", "--init", "normal", "--optimizer", "sgd",
                "--lr", "1", "--momentum", "0", "--epochs", "1", "--detect-anomaly");

        assertEquals(1, r.status(), r.err());
        String failure = r.err().substring(r.err().indexOf("nabla: "));
        assertTrue(failure.startsWith("nabla: Affine's forward pass, called from Linear.forward(Linear.java:"), failure);
        assertTrue(failure.contains("±∞ of 640 values in its output [64, 10]. Its inputs are all finite"), failure);
        assertTrue(failure.contains("\n  input 0 [64, 64]: min "), failure);
        assertFalse(failure.contains("\tat "), failure);
        assertFalse(dev.nabla.autograd.Anomaly.isEnabled(), "anomaly mode stays on after the command");
    }
}
