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
}
