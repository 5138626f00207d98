package dev.nabla.cli;

import static dev.nabla.cli.CliTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --task regression}: training on a CSV file's numeric column, then eval and predict in its units. */
class RegressionCommandsTest {
    @TempDir
    static Path dir;
    static Path data;
    static double[] truth;
    static JsonNode trained;

    /**
     * Writes reg.csv: 4,000 rows of 8 standard normal features and y = 1000 + 250 · f(x) + noise, f a smooth
     * function of all eight (linear, sine, square, tanh and product terms, variance about 8) and the noise normal
     * with standard deviation 0.1 in f's units (25 in y's); then trains on it as the README says.
     */
    @BeforeAll
    static void train() throws IOException {
        data = dir.resolve("reg.csv");
        Random random = new Random(7);
        List<String> lines = new ArrayList<>(List.of("x1,x2,x3,x4,x5,x6,x7,x8,y"));
        truth = new double[4000];
        for (int r = 0; r < truth.length; r++) {
            double[] x = new double[8];
            StringBuilder line = new StringBuilder();
            for (int j = 0; j < 8; j++) {
                x[j] = random.nextGaussian();
                line.append(String.format(Locale.ROOT, "%.5f,", x[j]));
            }
            double f = 2 * x[0] - 1.5 * x[1] + Math.sin(1.5 * x[2]) + 0.5 * x[3] * x[3] + Math.tanh(x[4] + x[5])
                    + 0.5 * x[6] * x[7] + 0.1 * random.nextGaussian();
            truth[r] = 1000 + 250 * f;
            lines.add(line.append(String.format(Locale.ROOT, "%.3f", truth[r])).toString());
        }
        Files.write(data, lines);
        trained = json("train", "--data", data.toString(), "--task", "regression", "--label-column", "y",
                "--test-fraction", "0.2", "--checkpoint", dir.resolve("run").toString(), "--json");
    }

    @Test
    void theHeldOutPartIsPredictedWithAnR2OfAtLeast095InTheTargetsUnits() {
        double r2 = trained.get("test_r2").asDouble();
        double mae = trained.get("test_mae").asDouble();
        double rmse = trained.get("test_rmse").asDouble();
        System.out.printf(java.util.Locale.ROOT, "regression on reg.csv: test R² %.4f, MAE %.1f, RMSE %.1f%n", r2, mae,
                rmse);
        assertTrue(r2 >= 0.95, "R² " + r2);
        // y's standard deviation is about 250 · √8 ≈ 700: errors in y's units are hundreds, not fractions
        assertTrue(rmse > 25 && rmse < 700 * Math.sqrt(1 - 0.95), "RMSE " + rmse);
        assertTrue(mae > 0 && mae <= rmse, "MAE " + mae + " ≤ RMSE " + rmse);
        assertEquals("regression", trained.get("task").asText());
        assertEquals("mse", trained.get("loss").asText());
        assertFalse(trained.has("test_accuracy"), "a regression run has no accuracy");
        assertEquals("8-256-1 relu, init default", trained.get("model").asText());
    }

    @Test
    void predictAnswersInTheTargetsUnits() throws IOException {
        JsonNode predicted = json("predict", "--model", dir.resolve("run").toString(), "--input", data.toString(),
                "--json");
        assertEquals(List.of("y"), List.of(predicted.get("targets").get(0).asText()));
        JsonNode rows = predicted.get("predictions");
        assertEquals(truth.length, rows.size());
        double squares = 0;
        double mean = 0;
        double trueMean = 0;
        for (int r = 0; r < truth.length; r++) {
            double y = rows.get(r).get("values").get("y").asDouble();
            squares += (y - truth[r]) * (y - truth[r]);
            mean += y / truth.length;
            trueMean += truth[r] / truth.length;
        }
        double rmse = Math.sqrt(squares / truth.length);
        assertTrue(rmse < 200, "RMSE over the file in y's units " + rmse);
        assertEquals(trueMean, mean, 30, "the predictions are centred on y's mean (about 1125), not on 0");
    }

    @Test
    void evalOnTheWholeFileAgreesWithPredict() throws IOException {
        JsonNode eval = json("eval", "--model", dir.resolve("run").toString(), "--data", data.toString(), "--json");
        assertEquals(4000, eval.get("samples").asInt());
        assertTrue(eval.get("r2").asDouble() >= 0.95, eval.toString());
        assertTrue(eval.get("mae").asDouble() <= eval.get("rmse").asDouble());
        CliTest.Result text = CliTest.run("eval", "--model", dir.resolve("run").toString(), "--data", data.toString());
        assertTrue(text.out().contains("R²") && text.out().contains("targets' units"), text.out());
    }

    @Test
    void predictWritesOneColumnPerTargetAndInspectNamesThem() throws IOException {
        Path out = dir.resolve("predictions.csv");
        CliTest.Result r = CliTest.run("predict", "--model", dir.resolve("run").toString(), "--input",
                data.toString(), "--output", out.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("input,y", lines.get(0));
        assertEquals(4001, lines.size());
        CliTest.Result inspect = CliTest.run("inspect", dir.resolve("run").toString());
        assertTrue(inspect.out().contains("targets y (regression"), inspect.out());
    }

    @Test
    void severalTargetColumnsGiveOneOutputEach() throws IOException {
        Path two = dir.resolve("two.csv");
        List<String> lines = new ArrayList<>(List.of("a,b,u,v"));
        Random random = new Random(3);
        for (int r = 0; r < 300; r++) {
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            lines.add(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f", a, b, 3 * a - b, -2 * b + 10));
        }
        Files.write(two, lines);
        JsonNode run = json("train", "--data", two.toString(), "--task", "regression", "--label-column", "u,v",
                "--loss", "huber", "--epochs", "30", "--json");
        assertEquals("2-256-2 relu, init default", run.get("model").asText());
        assertTrue(run.get("test_r2").asDouble() > 0.95, run.toString());
        assertEquals("huber", run.get("loss").asText());
    }

    @Test
    void mismatchesAreRefusedNamingTheFix() throws IOException {
        assertTrue(CliTest.run("train", "--data", data.toString(), "--task", "regression", "--loss", "cross_entropy")
                .err().contains("is a classification loss, and the task is regression"));
        assertTrue(CliTest.run("train", "--data", data.toString(), "--loss", "l1").err()
                .contains("add --task regression"));
        assertTrue(CliTest.run("train", "--data", "digits", "--task", "regression").err()
                .contains("give --data FILE.csv"));
        assertTrue(CliTest.run("train", "--data", data.toString()).err()
                .contains("distinct numbers, such as") , "a numeric label column hints at --task regression");
        assertTrue(CliTest.run("train", "--data", data.toString(), "--task", "regression", "--label-column", "z")
                .err().contains("has no column 'z'"));
        assertTrue(CliTest.run("predict", "--model", dir.resolve("run").toString(), "--input", data.toString(),
                "--top", "2").err().contains("drop --top"));
        assertTrue(CliTest.run("eval", "--model", dir.resolve("run").toString(), "--data", data.toString(),
                "--report", dir.resolve("r").toString()).err().contains("drop --report"));
        assertTrue(CliTest.run("train", "--data", data.toString(), "--task", "regression", "--loss", "hubr").err()
                .contains("did you mean huber?"));
    }
}
