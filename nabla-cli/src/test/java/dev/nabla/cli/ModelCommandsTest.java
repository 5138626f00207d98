package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.io.ModelFile;
import dev.nabla.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code train --checkpoint}, then {@code inspect}, {@code eval} and {@code predict} on what it saved. */
class ModelCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] CLASSES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine"};

    @TempDir
    static Path dir;
    private static Path digitsModel;
    private static Path csv;
    private static Path csvRun;

    @BeforeAll
    static void train() throws IOException {
        Path run = dir.resolve("digits");
        CliTest.Result r = CliTest.run("train", "--data", "digits", "--hidden", "32", "--epochs", "3", "--optimizer",
                "adam", "--lr", "0.01", "--checkpoint", run.toString());
        assertEquals(0, r.status(), r.err());
        digitsModel = run.resolve("model.safetensors");

        csv = dir.resolve("train.csv");
        Dataset all = Digits.train();
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 64; j++) {
            sb.append("px").append(j).append(',');
        }
        sb.append("digit\n");
        Tensor x = all.batch(range(all.size())).x();
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < 64; j++) {
                sb.append(x.data()[i * 64 + j]).append(',');
            }
            sb.append(CLASSES[all.label(i)]).append('\n');
        }
        Files.writeString(csv, sb);
        csvRun = dir.resolve("csv");
        r = CliTest.run("train", "--data", csv.toString(), "--hidden", "32", "--batchnorm", "--epochs", "2",
                "--checkpoint", csvRun.toString());
        assertEquals(0, r.status(), r.err());
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    @Test
    void aModelTrainedOnACsvFileGivesPyTorchsProbabilitiesInEvalMode() throws Exception {
        Path model = csvRun.resolve("model.safetensors");
        CliTest.Result r = CliTest.run("predict", "--model", model.toString(), "--input", csv.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode predictions = JSON.readTree(r.lastLine());
        List<String> classes = new ArrayList<>();
        predictions.get("classes").forEach(c -> classes.add(c.asText()));
        assertEquals(List.of("eight", "five", "four", "nine", "one", "seven", "six", "three", "two", "zero"), classes,
                "string labels become classes in sorted order");

        Dataset all = Digits.train();
        int n = 50;
        Tensor x = all.batch(range(n)).x();
        Path input = dir.resolve("input.json");
        JSON.writeValue(input.toFile(), Map.of("shape", x.shape().dims(), "data", x.data()));
        JsonNode torch = JSON.readTree(python("check", "mlp_bn", model.toString(), input.toString()));
        JsonNode logits = torch.get("output").get("data");
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < 10; c++) {
                max = Math.max(max, logits.get(i * 10 + c).asDouble());
            }
            double sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += Math.exp(logits.get(i * 10 + c).asDouble() - max);
            }
            JsonNode p = predictions.get("predictions").get(i);
            assertEquals(csv + ":" + (i + 1), p.get("input").asText());
            for (int c = 0; c < 10; c++) {
                double expected = Math.exp(logits.get(i * 10 + c).asDouble() - max) / sum;
                assertEquals(expected, p.get("probabilities").get(c).asDouble(), 1e-5, "row " + i + ", class " + c);
            }
        }
    }

    @Test
    void predictOnAPngOfATestImageGivesTheClassTheModelGivesThatImage() throws Exception {
        Dataset test = Digits.test();
        ModelFile.Loaded loaded = ModelFile.load(digitsModel);
        for (int i : new int[] {0, 7, 42, 100}) {
            float[] pixels = test.batch(new int[] {i}).x().data();
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < 64; p++) {
                image.getRaster().setSample(p % 8, p / 8, 0, Math.round(pixels[p] * 255));
            }
            Path png = dir.resolve("digit" + i + ".png");
            ImageIO.write(image, "png", png.toFile());
            int expected;
            try (var _ = NoGrad.enter()) {
                expected = loaded.model().call(test.batch(new int[] {i}).x()).argmax(-1)[0];
            }
            CliTest.Result r = CliTest.run("predict", "--model", digitsModel.toString(), "--input", png.toString(),
                    "--json");
            assertEquals(0, r.status(), r.err());
            JsonNode p = JSON.readTree(r.lastLine()).get("predictions").get(0);
            assertEquals(Integer.toString(expected), p.get("class").asText(), "test image " + i);
            assertEquals(Integer.toString(evalClass(i)), p.get("class").asText(), "nabla eval on test image " + i);
            assertEquals(png.toString(), p.get("input").asText());
        }
        CliTest.Result text = CliTest.run("predict", "--model", digitsModel.getParent().toString(), "--input",
                dir.resolve("digit0.png").toString(), "--top", "2");
        assertTrue(text.out().matches("(?s).*digit0\\.png\\s+\\d 0\\.\\d{4}  \\d 0\\.\\d{4}\n"), text.out());
    }

    /** The class {@code nabla eval} gives digits test image {@code i}: evaluated alone, as a one-row CSV file. */
    private static int evalClass(int i) throws IOException {
        Dataset test = Digits.test();
        float[] pixels = test.batch(new int[] {i}).x().data();
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < 64; p++) {
            sb.append("p").append(p).append(',');
        }
        sb.append("label\n");
        for (float v : pixels) {
            sb.append(v).append(',');
        }
        sb.append(test.label(i)).append('\n');
        Path one = dir.resolve("image" + i + ".csv");
        Files.writeString(one, sb);
        CliTest.Result r = CliTest.run("eval", "--model", digitsModel.toString(), "--data", one.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode row = JSON.readTree(r.lastLine()).get("confusion").get(test.label(i));
        for (int c = 0; c < 10; c++) {
            if (row.get(c).asInt() == 1) {
                return c;
            }
        }
        throw new AssertionError("nabla eval counted no prediction for image " + i + ": " + r.lastLine());
    }

    @Test
    void evalGivesTheTrainingRunsTestAccuracyWithPerClassFiguresAndTheConfusionMatrix() throws Exception {
        CliTest.Result r = CliTest.run("eval", "--model", digitsModel.toString(), "--json", "--report",
                dir.resolve("eval-report").toString());
        assertEquals(0, r.status(), r.err());
        JsonNode eval = JSON.readTree(r.lastLine());
        assertEquals(360, eval.get("samples").asInt());
        long diagonal = 0;
        long total = 0;
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                long n = eval.get("confusion").get(t).get(p).asLong();
                total += n;
                diagonal += t == p ? n : 0;
            }
        }
        assertEquals(360, total);
        assertEquals((double) diagonal / total, eval.get("accuracy").asDouble(), 1e-12);
        assertTrue(eval.get("accuracy").asDouble() > 0.85, r.lastLine());
        assertEquals(10, eval.get("per_class").size());
        String html = Files.readString(dir.resolve("eval-report").resolve("eval.html"));
        assertTrue(html.contains("id=\"chart-confusion\"") && html.contains("\"confusion\":[["), "the chart and its data");

        CliTest.Result text = CliTest.run("eval", "--model", digitsModel.toString(), "--data", "digits");
        assertTrue(text.out().contains(String.format(Locale.ROOT, "accuracy  %.4f", eval.get("accuracy").asDouble())),
                text.out());
        assertTrue(text.out().contains("confusion matrix: a row per true class, a column per predicted class"));
    }

    @Test
    void inspectListsTheTensorsAndTheModel() {
        CliTest.Result r = CliTest.run("inspect", digitsModel.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("model  64-32-10 relu, init default · 2,410 parameters · trained on digits"),
                r.out());
        assertTrue(r.out().contains("0.weight  F32    [32, 64]"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        header length 2^63 | -9223372036854775808 | {} | beyond the limit of 100000000
        offsets past end   | 0 | {"w":{"dtype":"F32","shape":[1000],"data_offsets":[0,4000]}} | it is truncated
        overlapping        | 0 | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}} | tensors must not overlap
        """)
    void aHostileFileGetsOneLineAndExitCode1(String what, long length, String header, String expected)
            throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + 12).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(length != 0 ? length : json.length).put(json);
        Path file = dir.resolve(what.replace(' ', '-') + ".safetensors");
        Files.write(file, bytes.array());
        for (String[] command : List.of(new String[] {"predict", "--model", file.toString(), "--input", csv.toString()},
                new String[] {"eval", "--model", file.toString(), "--data", "digits"},
                new String[] {"inspect", file.toString()})) {
            CliTest.Result r = CliTest.run(command);
            assertEquals(1, r.status(), command[0] + ": " + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("nabla: " + file) && r.err().contains(expected), r.err());
        }
    }

    @Test
    void badCsvDataNamesTheFileRowAndColumn() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "a,b,label\n1,2,x\n3,NaN,y\n");
        CliTest.Result r = CliTest.run("train", "--data", bad.toString(), "--epochs", "1");
        assertEquals(1, r.status());
        assertEquals("nabla: " + bad + ": row 2, column 'b' is NaN: a model can neither learn from nor predict on a "
                + "non-finite value; clean or impute it\n",
                r.err());
        CliTest.Result noLabel = CliTest.run("train", "--data", csv.toString(), "--label-column", "kind");
        assertEquals(1, noLabel.status());
        assertTrue(noLabel.err().contains("has no column 'kind'; its columns are [px0, px1,"), noLabel.err());
    }

    /** Runs tools/fixtures/interop.py with Debian's python3 and returns what it printed. */
    private static String python(String... args) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("basedir", "."), "..", "tools", "fixtures", "interop.py").normalize();
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "python3 " + script + " failed (install python3-torch with "
                + "tools/install-test-data):\n" + err);
        return out;
    }
}
