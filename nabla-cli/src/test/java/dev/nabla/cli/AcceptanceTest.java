package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The accuracy the README promises, reached through the command line exactly as a user types it. */
class AcceptanceTest {
    @Test
    void digitsReachNinetyFivePercentInTwentyEpochs() throws Exception {
        CliTest.Result r = CliTest.run("train", "--data", "digits", "--epochs", "20", "--seed", "1", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        double accuracy = json.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.95, "digits test accuracy " + accuracy);
    }

    @Test
    @Tag("integration")
    void fashionMnistReachesEightySevenPercentInFiveEpochs() throws Exception {
        CliTest.Result r = CliTest.run("train", "--data", "fashion-mnist", "--hidden", "256,128",
                "--optimizer", "adam", "--lr", "1e-3", "--epochs", "5", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        double accuracy = json.get("test_accuracy").asDouble();
        System.out.println("fashion-mnist: " + r.lastLine());
        assertTrue(accuracy >= 0.87, "Fashion-MNIST test accuracy " + accuracy);
    }

    @Test
    @Tag("integration")
    void fashionMnistWithBatchNormReachesEightySevenAndAHalfPercentInFiveEpochs() throws Exception {
        CliTest.Result r = CliTest.run("train", "--data", "fashion-mnist", "--hidden", "256,128", "--batchnorm",
                "--optimizer", "adam", "--lr", "1e-3", "--epochs", "5", "--json");
        assertEquals(0, r.status(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.lastLine());
        double accuracy = json.get("test_accuracy").asDouble();
        System.out.println("fashion-mnist with batch norm: " + r.lastLine());
        assertTrue(accuracy >= 0.875, "Fashion-MNIST test accuracy with batch norm " + accuracy);
    }

    /** Twenty hidden layers of sigmoids: batch norm keeps the signal, and so the gradient, alive through them. */
    private static JsonNode deepSigmoid(boolean batchNorm) throws Exception {
        String hidden = String.join(",", java.util.Collections.nCopies(20, "256"));
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data", "digits",
                "--hidden", hidden, "--activation", "sigmoid", "--epochs", "20", "--seed", "0", "--threads", "2",
                "--json"));
        if (batchNorm) {
            args.add("--batchnorm");
        }
        CliTest.Result r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return new ObjectMapper().readTree(r.lastLine());
    }

    @Test
    void aDeepSigmoidNetworkLearnsDigitsWithBatchNorm() throws Exception {
        JsonNode json = deepSigmoid(true);
        double accuracy = json.get("test_accuracy").asDouble();
        assertTrue(accuracy >= 0.90, "20-layer sigmoid network with batch norm, digits test accuracy " + accuracy
                + "; per epoch " + json.get("history"));
    }

    @Test
    @Tag("integration")
    void aDeepSigmoidNetworkWithoutBatchNormStaysNearChance() throws Exception {
        JsonNode json = deepSigmoid(false);
        double accuracy = json.get("test_accuracy").asDouble();
        assertTrue(accuracy <= 0.2, "20-layer sigmoid network without batch norm, digits test accuracy " + accuracy
                + " (chance is 0.1)");
    }
}
