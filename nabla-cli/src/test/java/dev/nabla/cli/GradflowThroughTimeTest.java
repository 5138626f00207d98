package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code nabla gradflow} with recurrent configurations: the gradient that reaches each time step of the input, its
 * first/last ratio and the verdict, on the digits (8 steps of 8) and on Fashion-MNIST (28 of 28), where PyTorch's
 * twin ({@code bench/pytorch/lstm.py --grads}) gives the reference ratios.
 */
class GradflowThroughTimeTest {
    private static JsonNode compare(String... extra) throws Exception {
        String[] args = new String[extra.length + 4];
        args[0] = "gradflow";
        args[1] = "--compare";
        args[2] = "rnn;lstm;lstm,forget-bias=1;gru";
        args[3] = "--json";
        System.arraycopy(extra, 0, args, 4, extra.length);
        CliTest.Result r = CliTest.run(args);
        assertEquals(0, r.status(), r.err());
        JsonNode configs = new ObjectMapper().readTree(r.lastLine()).get("configs");
        assertEquals(4, configs.size());
        return configs;
    }

    @Test
    void jsonGivesTheNormOfEveryTimeStepTheRatioAndTheVerdict() throws Exception {
        JsonNode configs = compare("--data", "digits");
        assertEquals("rnn", configs.get(0).get("config").asText());
        assertEquals("lstm,forget-bias=1", configs.get(2).get("config").asText());
        for (JsonNode c : configs) {
            JsonNode steps = c.get("steps");
            assertEquals(8, steps.size(), c.toString());
            double ratio = steps.get(0).asDouble() / steps.get(7).asDouble();
            assertEquals(ratio, c.get("ratio_first_last").asDouble(), 1e-9 * ratio);
            assertTrue(c.get("verdict").asText().matches("healthy|vanishing|exploding"), c.toString());
        }
        assertTrue(configs.get(2).get("ratio_first_last").asDouble() > configs.get(1).get("ratio_first_last").asDouble(),
                "a forget-gate bias of 1 lets more of the gradient through: " + configs);
    }

    @Test
    void theTableDrawsEveryStepAndExplainsTheVerdict() {
        CliTest.Result r = CliTest.run("gradflow", "--data", "digits", "--model", "rnn", "--width", "32");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("‖∂L/∂x_t‖"), r.out());
        assertTrue(r.out().contains("ratio first/last step"), r.out());
        assertTrue(r.out().contains("verdict   "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches(" +8 +\\S+ +[█▏▎▍▌▋▊▉]+")), r.out());
    }

    @Test
    void recurrentAndDeepConfigurationsAreComparedInTwoRuns() {
        CliTest.Result r = CliTest.run("gradflow", "--compare", "sigmoid;lstm");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("compare them in two runs"), r.err());
    }

    @Test
    void aForgetGateBiasNeedsAnLstm() {
        CliTest.Result r = CliTest.run("gradflow", "--compare", "gru,forget-bias=1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("an lstm forget-bias=X"), r.err());
        r = CliTest.run("gradflow", "--model", "gru", "--forget-bias", "1");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--forget-bias is an lstm's option"), r.err());
    }

    /**
     * The targets at initialisation on the first 64 Fashion-MNIST images, and agreement with PyTorch's twin
     * on the same images (its own initialisation: the ratios agree within an order of magnitude). The reference is
     * {@code /usr/bin/python3 bench/pytorch/lstm.py --grads --no-time --data /usr/share/datasets/fashion-mnist
     * --threads 1 --out nabla-cli/src/test/resources/dev/nabla/cli/pytorch-gradient-through-time.json}.
     */
    @Test
    @Tag("integration")
    void onFashionMnistTheRnnVanishesAndTheLstmsCarryTheGradientAsInPyTorch() throws Exception {
        JsonNode configs = compare("--data", "fashion-mnist");
        double rnn = configs.get(0).get("ratio_first_last").asDouble();
        double lstm = configs.get(1).get("ratio_first_last").asDouble();
        double forgetBias1 = configs.get(2).get("ratio_first_last").asDouble();
        assertTrue(rnn < 1e-4, "rnn ratio " + rnn);
        assertEquals("vanishing", configs.get(0).get("verdict").asText());
        assertTrue(lstm >= 10 * rnn, "lstm " + lstm + " vs rnn " + rnn);
        assertTrue(forgetBias1 >= 10 * lstm, "forget-bias 1 " + forgetBias1 + " vs lstm " + lstm);

        JsonNode pytorch;
        try (InputStream in = getClass().getResourceAsStream("pytorch-gradient-through-time.json")) {
            pytorch = new ObjectMapper().readTree(in).get("grads");
        }
        String[] twins = {"rnn", "lstm", "lstm_fb1", "gru"};
        for (int i = 0; i < twins.length; i++) {
            JsonNode reference = null;
            for (JsonNode g : pytorch) {
                if (g.get("input").asText().equals("fashion_mnist_first64") && g.get("model").asText().equals(twins[i])) {
                    reference = g;
                }
            }
            double theirs = reference.get("ratio_first_last").asDouble();
            double ours = configs.get(i).get("ratio_first_last").asDouble();
            assertTrue(Math.abs(Math.log10(ours / theirs)) <= 1, twins[i] + ": Nabla " + ours + ", PyTorch " + theirs);
        }
    }
}
