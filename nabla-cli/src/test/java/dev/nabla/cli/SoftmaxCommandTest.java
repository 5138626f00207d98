package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.CliTest.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SoftmaxCommandTest {
    private static final double TOLERANCE = 1e-5;

    private static JsonNode json(String... args) throws Exception {
        String[] all = new String[args.length + 2];
        all[0] = "softmax";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "--json";
        Result r = CliTest.run(all);
        assertEquals(0, r.status(), r.err());
        assertEquals(1, r.out().strip().split("\n").length, "--json prints one line: " + r.out());
        return new ObjectMapper().readTree(r.lastLine());
    }

    private static double[] vector(JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    private static void assertClose(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOLERANCE, "entry " + i);
        }
    }

    /** softmax(z/T) in double, the reference the command's float32 values are held to. */
    private static double[] softmax(double[] z, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v / temperature);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] / temperature - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void textbookExamplePrintsProbabilitiesLossGradientAndWhatTheyMean() {
        Result r = CliTest.run("softmax", "--logits", "2.0,1.0,0.1", "--target", "0");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("0.65900") && out.contains("0.24243") && out.contains("0.098566"), out);
        assertTrue(out.contains("loss L               0.41703"), out);
        assertTrue(out.contains("-0.34100"), out);
        String prose = out.replaceAll("\\s+", " ");     // explanations wrap at 100 columns
        assertTrue(prose.contains("softmax turns scores into probabilities"), out);
        assertTrue(prose.contains("the loss is −log p[target]"), out);
        assertTrue(prose.contains("p − t: push up the target, push down the rest in proportion to their probability"),
                out);
        assertFalse(out.contains("jacobian"), "the Jacobian only with --jacobian: " + out);
    }

    @Test
    void theReadmeShowsWhatTheCommandPrints() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        String command = "$ ./nabla softmax --logits 2.0,1.0,0.1 --target 0 --jacobian\n";
        int start = readme.indexOf(command);
        assertTrue(start >= 0, "README lacks the example " + command);
        start += command.length();
        String shown = readme.substring(start, readme.indexOf("```", start));
        assertEquals(shown, CliTest.run("softmax", "--logits", "2.0,1.0,0.1", "--target", "0", "--jacobian").out());
    }

    @Test
    void jsonHoldsEveryValue() throws Exception {
        JsonNode j = json("--logits", "2.0,1.0,0.1", "--target", "0");
        double[] p = vector(j.get("probabilities"));
        assertClose(new double[] {0.659001, 0.242433, 0.098566}, p);
        assertClose(new double[] {Math.log(p[0]), Math.log(p[1]), Math.log(p[2])}, vector(j.get("log_probabilities")));
        assertEquals(0.417030, j.get("loss").asDouble(), TOLERANCE);
        assertEquals(-Math.log(p[0]), j.get("loss").asDouble(), TOLERANCE);
        assertClose(new double[] {p[0] - 1, p[1], p[2]}, vector(j.get("grad_logits")));
        assertClose(new double[] {1, 0, 0}, vector(j.get("target_distribution")));
        assertEquals(0, j.get("target").asInt());
        assertEquals(3, j.get("jacobian").size(), "the Jacobian is always in the JSON");
    }

    @Test
    void jacobianIsSymmetricWithRowsSummingToZeroAndMatchesTheFormula() throws Exception {
        JsonNode j = json("--logits", "0.5,-1.25,3,0", "--jacobian");
        double[] p = vector(j.get("probabilities"));
        JsonNode jac = j.get("jacobian");
        for (int a = 0; a < p.length; a++) {
            double rowSum = 0;
            for (int b = 0; b < p.length; b++) {
                double v = jac.get(a).get(b).asDouble();
                assertEquals(jac.get(b).get(a).asDouble(), v, 1e-7, "symmetric at " + a + ", " + b);
                assertEquals(p[a] * ((a == b ? 1 : 0) - p[b]), v, TOLERANCE);
                rowSum += v;
            }
            assertEquals(0, rowSum, 1e-6, "row " + a);
        }
        Result text = CliTest.run("softmax", "--logits", "0.5,-1.25,3,0", "--jacobian");
        assertTrue(text.out().replaceAll("\\s+", " ").contains("∂p_i/∂z_j = p_i(δ_ij − p_j):"), text.out());
    }

    @Test
    void withoutATargetOnlyProbabilitiesArePrinted() throws Exception {
        JsonNode j = json("--logits", "1,2,3");
        assertTrue(j.get("loss").isNull() && j.get("grad_logits").isNull() && j.get("target").isNull(), j.toString());
        assertClose(softmax(new double[] {1, 2, 3}, 1), vector(j.get("probabilities")));
        Result r = CliTest.run("softmax", "--logits", "1,2,3");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("log-probabilities"), r.out());
        assertFalse(r.out().contains("loss") || r.out().contains("gradient"), r.out());
    }

    @Test
    void temperatureDividesTheLogitsAndTheGradientIsWithRespectToTheOriginalOnes() throws Exception {
        double[] z = {2.0, 1.0, 0.1};
        double t = 2.5;
        JsonNode j = json("--logits", "2.0,1.0,0.1", "--target", "1", "--temperature", "2.5");
        double[] p = softmax(z, t);
        assertClose(p, vector(j.get("probabilities")));
        assertEquals(-Math.log(p[1]), j.get("loss").asDouble(), TOLERANCE);
        assertClose(new double[] {p[0] / t, (p[1] - 1) / t, p[2] / t}, vector(j.get("grad_logits")));
        assertEquals(p[0] * (1 - p[0]) / t, j.get("jacobian").get(0).get(0).asDouble(), TOLERANCE);
        assertTrue(p[0] < 0.659, "a temperature above 1 flattens the distribution");
        Result text = CliTest.run("softmax", "--logits", "2.0,1.0,0.1", "--target", "1", "--temperature", "2.5");
        assertTrue(text.out().replaceAll("\\s+", " ").contains("with respect to each logit is (p − t)/T"),
                text.out());
    }

    @Test
    void labelSmoothingMixesTheOneHotWithTheUniformTarget() throws Exception {
        double eps = 0.3;
        JsonNode j = json("--logits", "2.0,1.0,0.1", "--target", "0", "--label-smoothing", "0.3");
        double[] p = softmax(new double[] {2.0, 1.0, 0.1}, 1);
        double[] q = {1 - eps + eps / 3, eps / 3, eps / 3};
        assertClose(q, vector(j.get("target_distribution")));
        assertClose(new double[] {p[0] - q[0], p[1] - q[1], p[2] - q[2]}, vector(j.get("grad_logits")));
        double loss = 0;
        for (int c = 0; c < 3; c++) {
            loss -= q[c] * Math.log(p[c]);
        }
        assertEquals(loss, j.get("loss").asDouble(), TOLERANCE);
    }

    @Test
    void hugeAndMaskedLogitsStayFinite() throws Exception {
        JsonNode j = json("--logits=-1e4,0,1e4,-inf", "--target", "2");
        assertClose(new double[] {0, 0, 1, 0}, vector(j.get("probabilities")));
        assertEquals(0, j.get("loss").asDouble(), TOLERANCE);
        assertEquals(-1e4, j.get("log_probabilities").get(1).asDouble(), 1e-2);
        assertEquals("-Infinity", j.get("log_probabilities").get(3).asText());
    }

    @Test
    void badNumbersAreUsageErrorsThatSayWhatIsWrong() {
        assertError("'abc' is not a number", "--logits", "abc");
        assertError("--logits is empty", "--logits", "");
        assertError("empty entry at position 1", "--logits", "1,,2");
        assertError("entry 1 is NaN", "--logits", "1,NaN");
        assertError("beyond float32's range", "--logits", "1,inf");
        assertError("every score is -inf", "--logits", "-inf,-inf");
        assertError("--target 3 is outside the classes 0..2", "--logits", "1,2,3", "--target", "3");
        assertError("--target -1 is outside the classes 0..2", "--logits", "1,2,3", "--target=-1");
        assertError("--temperature must be a positive number, got 0.0", "--logits", "1,2", "--temperature", "0");
        assertError("--temperature must be a positive number, got -1.0", "--logits", "1,2", "--temperature=-1");
        assertError("--temperature 1.0E-36 is too small: logit 1000 / T", "--logits", "1000,0", "--temperature",
                "1e-36");
        assertError("--temperature 1.0E-50 is too small", "--logits", "0,1", "--temperature", "1e-50");
        assertError("--label-smoothing must be in [0, 1], got 1.5", "--logits", "1,2", "--target", "0",
                "--label-smoothing", "1.5");
        assertError("give --target too", "--logits", "1,2", "--label-smoothing", "0.1");
        assertError("Missing required option: '--logits", "--target", "0");
    }

    private static void assertError(String message, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "softmax";
        System.arraycopy(args, 0, all, 1, args.length);
        Result r = CliTest.run(all);
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
    }

    @Test
    void numbersKeepFiveSignificantDigits() {
        assertEquals("0.65900", SoftmaxCommand.number(0.6590012f));
        assertEquals("0.098566", SoftmaxCommand.number(0.09856589f));
        assertEquals("-1.4170", SoftmaxCommand.number(-1.41703f));
        assertEquals("1.2346e-07", SoftmaxCommand.number(1.2345678e-7f));
        assertEquals("3.8000e-44", SoftmaxCommand.number(3.8e-44f), "a subnormal float has fewer digits to show");
        assertEquals("2.0000", SoftmaxCommand.number(2f));
        assertEquals("-0.050000", SoftmaxCommand.number(-0.05f));
        assertEquals("12346", SoftmaxCommand.number(12345.6f));
        assertEquals("0", SoftmaxCommand.number(-0f));
        assertEquals("2", SoftmaxCommand.brief(2f));
        assertEquals("0.1", SoftmaxCommand.brief(0.1f));
        assertEquals("1.2346e-07", SoftmaxCommand.brief(1.2345678e-7f));
        assertEquals("-inf", SoftmaxCommand.number(Float.NEGATIVE_INFINITY));
    }
}
