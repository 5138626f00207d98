package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.nn.Init;
import dev.nabla.ops.Activation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nabla gradflow} on digits, 20 hidden layers of 256, seed 0, as the README shows it. PyTorch, in the same
 * setting on random inputs (bench/pytorch/deep.py), gives first/last hidden-layer gradient ratios of about 1e-16 for
 * sigmoid with the default init, 1e-6 for ReLU with the default init and about 1 with He init or BatchNorm.
 */
class GradflowCommandTest {
    private static JsonNode configs;

    @BeforeAll
    static void runTheComparison() throws Exception {
        CliTest.Result r = CliTest.run("gradflow", "--compare",
                "sigmoid;relu;relu,init=he;sigmoid,batchnorm;relu,init=normal;relu,init=normal,clip-norm=1",
                "--threads", "2", "--json");
        assertEquals(0, r.status(), r.err());
        configs = new ObjectMapper().readTree(r.lastLine()).get("configs");
        assertEquals(6, configs.size());
    }

    private static JsonNode config(String label) {
        for (JsonNode c : configs) {
            if (c.get("config").asText().equals(label)) {
                return c;
            }
        }
        throw new AssertionError("no configuration " + label + " in " + configs);
    }

    @Test
    void jsonHasTheLayersTheRatioAndTheVerdictOfEachConfiguration() {
        JsonNode sigmoid = config("sigmoid");
        assertEquals(20, sigmoid.get("layers").size());
        assertEquals("0.weight", sigmoid.get("layers").get(0).get("name").asText());
        assertEquals("38.weight", sigmoid.get("layers").get(19).get("name").asText());
        double first = sigmoid.get("layers").get(0).get("grad_norm").asDouble();
        double last = sigmoid.get("layers").get(19).get("grad_norm").asDouble();
        assertEquals(first / last, sigmoid.get("ratio_first_last").asDouble(), 1e-9 * first / last);
        assertEquals("3.weight", config("sigmoid,batchnorm").get("layers").get(1).get("name").asText());
    }

    @Test
    void sigmoidWithTheDefaultInitVanishes() {
        JsonNode c = config("sigmoid");
        assertEquals("vanishing", c.get("verdict").asText());
        assertTrue(c.get("ratio_first_last").asDouble() < 1e-6, c.toString());
        assertTrue(c.get("reason").asText().startsWith("σ′ ≤ 1/4: through 20 sigmoid layers"), c.get("reason").asText());
    }

    @Test
    void reluWithTheDefaultInitVanishesToo() {
        JsonNode c = config("relu");
        assertEquals("vanishing", c.get("verdict").asText());
        double ratio = c.get("ratio_first_last").asDouble();
        assertTrue(ratio > 1e-9 && ratio < 1e-4, "PyTorch: about 1e-6; got " + ratio);
    }

    @Test
    void reluWithHeInitIsHealthy() {
        JsonNode c = config("relu,init=he");
        double ratio = c.get("ratio_first_last").asDouble();
        assertTrue(ratio >= 0.01 && ratio <= 100, "ratio " + ratio);
        assertEquals("healthy", c.get("verdict").asText(), c.toString());
    }

    @Test
    void sigmoidWithBatchNormKeepsTheGradient() {
        JsonNode c = config("sigmoid,batchnorm");
        double ratio = c.get("ratio_first_last").asDouble();
        assertTrue(ratio >= 0.01 && ratio <= 100, "ratio " + ratio);
        assertEquals("healthy", c.get("verdict").asText(), c.toString());
    }

    @Test
    void reluWithUnitNormalWeightsExplodesAndTheNanIsCaughtAtItsStep() {
        JsonNode c = config("relu,init=normal");
        assertEquals("exploding", c.get("verdict").asText());
        assertTrue(c.get("layers").get(0).get("grad_norm").asDouble() > 1e15, c.toString());
        JsonNode nf = c.get("non_finite");
        assertNotNull(nf, "SGD at lr 0.01 on gradients of 1e21 overflows the next forward pass");
        assertEquals(2, nf.get("step").asInt());
        assertEquals("forward", nf.get("phase").asText());
        assertTrue(c.get("stopped").asText().contains("step 2"), c.toString());
        assertEquals(1, c.get("steps_run").asInt());
    }

    @Test
    void clippingTheNormToOneLetsTheSameNetworkTrainWithoutNan() {
        JsonNode c = config("relu,init=normal,clip-norm=1");
        assertTrue(c.get("non_finite").isNull(), c.toString());
        assertTrue(c.get("stopped").isNull(), c.toString());
        assertEquals(5, c.get("steps_run").asInt());
        assertEquals("exploding", c.get("verdict").asText(), "the raw gradients are still huge");
        assertTrue(c.get("evidence").asText().contains("clipped to 1"), c.get("evidence").asText());
    }

    @Test
    void theTableShowsEveryLayerWithABarTheBoundAndTheDiagnosis(@TempDir Path dir) throws Exception {
        CliTest.Result r = CliTest.run("gradflow", "--depth", "6", "--width", "32", "--steps", "2", "--threads", "2",
                "--report", dir.toString());
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        List<String> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.matches("\\s+\\d+\\s+\\d+\\.weight\\s+\\S+\\s+[█▏▎▍▌▋▊▉]+\\s*")) {
                rows.add(line);
            }
        }
        assertEquals(6, rows.size(), out);
        assertTrue(out.contains("ratio first/last hidden layer"), out);
        assertTrue(out.contains("(1/4)^5 = 9.8e-4"), out);
        assertTrue(out.contains("verdict   "), out);
        assertTrue(out.contains("fix       ") || out.contains("verdict   healthy"), out);
        for (String file : new String[] {"report.html", "metrics.csv", "history.json"}) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
    }

    @Test
    void theSigmoidBoundIsShownForSigmoidNetworksOnly() {
        CliTest.Result relu = CliTest.run("gradflow", "--activation", "relu", "--depth", "4", "--width", "16",
                "--steps", "1");
        assertEquals(0, relu.status(), relu.err());
        assertTrue(!relu.out().contains("sigmoid bound"), relu.out());
        CliTest.Result both = CliTest.run("gradflow", "--compare", "relu;sigmoid,batchnorm;sigmoid", "--depth", "4",
                "--width", "16", "--steps", "1");
        assertTrue(both.out().contains("(1/4)^3 = 0.0156") && both.out().contains("≈ 2.7e-3 (sigmoid)\n"), both.out());
    }

    @Test
    void badConfigurationsAreRefusedWithTheirReason() {
        CliTest.Result r = CliTest.run("gradflow", "--compare", "sigmoid;swish");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("the activation it starts with in 'swish': 'swish' is not one of relu, sigmoid, "
                + "tanh, leaky_relu"), r.err());
        r = CliTest.run("gradflow", "--compare", "relu,init=orthogonal");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("init=orthogonal in 'relu,init=orthogonal': 'orthogonal' is not one of default, "
                + "xavier, he, normal"), r.err());
        r = CliTest.run("gradflow", "--compare", "sigmoi");
        assertTrue(r.err().contains("did you mean sigmoid?"), r.err());
        r = CliTest.run("gradflow", "--compare", "relu,dropout=0.5");
        assertTrue(r.err().contains("use init=NAME, batchnorm or clip-norm=X"), r.err());
        assertEquals(2, CliTest.run("gradflow", "--depth", "1").status());
    }

    @Test
    void aCnnShowsItsConvolutionsGradientsDeadChannelsAndBatchNormStatistics() throws Exception {
        CliTest.Result r = CliTest.run("gradflow", "--model", "cnn", "--steps", "3", "--threads", "2");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.contains("model  cnn 8×8, blocks of [16, 32] channels, hidden [128]"), out);
        for (String row : new String[] {"1  0.weight", "2  4.weight", "3  9.weight", "output  11.weight"}) {
            assertTrue(out.contains(row), row + " in\n" + out);
        }
        assertTrue(out.matches("(?s).*\\n\\s+2  ReLU\\s+dead channels \\d+ %.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+10  ReLU\\s+dead units \\d+ %.*"), out);
        assertTrue(out.matches("(?s).*\\n\\s+1  BatchNorm\\s+running mean \\S+, running var \\S+.*"), out);
        assertTrue(!out.contains("sigmoid bound"), out);

        CliTest.Result both = CliTest.run("gradflow", "--model", "cnn", "--compare", "relu;relu,batchnorm",
                "--steps", "2", "--json");
        assertEquals(0, both.status(), both.err());
        JsonNode configs = new ObjectMapper().readTree(both.lastLine()).get("configs");
        assertEquals("relu", configs.get(0).get("config").asText(), "compared without BatchNorm2d unless said");
        assertEquals("8×8-c16-c32-128-10 relu", configs.get(0).get("model").asText());
        assertEquals("relu,batchnorm", configs.get(1).get("config").asText());
        JsonNode maps = configs.get(1).get("feature_maps");
        assertEquals(5, maps.size(), maps.toString());   // three ReLUs, two BatchNorm2d
        assertEquals(0.0, maps.get(0).get("dead_fraction").asDouble() * 16 % 1, 1e-9, "a share of 16 channels");
        assertEquals(2, CliTest.run("gradflow", "--model", "cnn", "--compare", "sigmoid").status());
        assertEquals(2, CliTest.run("gradflow", "--model", "cnn", "--depth", "4").status());
    }

    @Test
    void configurationsReadBackTheirLabel() {
        GradflowConfig defaults = new GradflowConfig(Activation.SIGMOID, Init.Scheme.DEFAULT, false, null);
        for (String label : new String[] {"sigmoid", "relu,init=he", "sigmoid,batchnorm", "relu,init=normal,clip-norm=1",
            "tanh,init=xavier,batchnorm,clip-norm=0.5"}) {
            assertEquals(label, GradflowConfig.parse(label, defaults).label());
        }
        assertEquals("relu,batchnorm", GradflowConfig.parse(" relu , bn ", defaults).label());
    }
}
