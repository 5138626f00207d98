package dev.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The workloads run and report the fields {@code bench/compare} reads from the PyTorch twins. */
class BenchCommandTest {
    private static JsonNode run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        String[] lines = out.toString().strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void mlpReportsSamplesPerSecondAndStepTime() throws Exception {
        JsonNode r = run("bench", "mlp", "--batch", "16", "--warmup", "1", "--blocks", "2", "--steps-per-block", "2",
                "--threads", "1", "--json");
        assertEquals("mlp", r.get("bench").asText());
        assertTrue(r.at("/samples_per_s/median").asDouble() > 0);
        assertEquals(2, r.at("/ms_per_step/n").asInt());
        assertEquals(6.0 * 16 * (784 * 512 + 512 * 256 + 256 * 10), r.get("gemm_flop_per_step").asDouble());
        assertTrue(r.get("bn").asBoolean());
    }

    @Test
    void deepTimesSigmoidFirstAndMeasuresTheVanishingGradient() throws Exception {
        JsonNode r = run("bench", "deep", "--grads", "--time-variants", "sigmoid_default", "--warmup", "1",
                "--blocks", "1", "--steps-per-block", "1", "--json");
        assertEquals("sigmoid_default", r.at("/timing/0/variant").asText());
        assertTrue(r.at("/timing/0/ms_per_step/median").asDouble() > 0);
        assertEquals(20, r.at("/grads/0/hidden_weight_grad_fro").size());
        assertTrue(r.at("/grads/0/ratio_layer1_over_layer20").asDouble() < 1e-6, r.at("/grads/0").toString());
        assertTrue(r.at("/grads/2/ratio_layer1_over_layer20").asDouble() > 0.01, r.at("/grads/2").toString());
    }

    @Test
    void lstmTimesTheLstmAndTheRnnAndMeasuresTheGradientThroughTime() throws Exception {
        JsonNode r = run("bench", "lstm", "--grads", "--warmup", "1", "--blocks", "1", "--steps-per-block", "1",
                "--json");
        assertEquals("lstm", r.at("/timing/0/model").asText());
        assertEquals("rnn", r.at("/timing/1/model").asText());
        assertTrue(r.at("/timing/1/ms_per_step/median").asDouble() > 0);
        assertEquals(6.0 * 64 * 28 * 4 * 128 * (28 + 128) + 6.0 * 64 * 128 * 10,
                r.at("/timing/0/gemm_flop_per_step").asDouble());
        // random N(0, 1) rows: rnn, lstm, lstm_fb1, gru; each with a norm per time step
        assertEquals(4, r.get("grads").size());
        assertEquals(28, r.at("/grads/0/steps").size());
        double rnn = r.at("/grads/0/ratio_first_last").asDouble();
        double lstm = r.at("/grads/1/ratio_first_last").asDouble();
        double forgetBias1 = r.at("/grads/2/ratio_first_last").asDouble();
        assertTrue(rnn < 1e-4, r.at("/grads/0").toString());
        assertTrue(forgetBias1 > 10 * lstm, forgetBias1 + " vs " + lstm);
    }

    @Test
    void gemmMeasuresOneShapeWhenGivenItsSizes() throws Exception {
        JsonNode r = run("bench", "gemm", "--m", "8", "--k", "9", "--n", "10", "--repeats", "2", "--min-time", "0.001",
                "--json");
        assertEquals(1, r.get("results").size());
        assertEquals("8x9*9x10", r.at("/results/0/label").asText());
        assertTrue(r.at("/results/0/median").asDouble() > 0);
    }

    @Test
    void gemmNeedsAllThreeSizes() {
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"bench", "gemm", "--m", "8"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertEquals(2, status);
        assertTrue(err.toString().contains("--m, --k and --n"), err.toString());
    }

    @Test
    void peakMeasuresOneThreadThenAll() throws Exception {
        JsonNode r = run("bench", "peak", "--threads", "2", "--repeats", "2", "--min-time", "0.01", "--json");
        assertEquals(2, r.get("results").size());
        assertEquals("1t", r.at("/results/0/label").asText());
        assertEquals("2t", r.at("/results/1/label").asText());
        // a rate was measured (how fast is for the benchmark to say, not for a unit test on a busy machine)
        assertTrue(r.at("/results/0/median").asDouble() > 0, r.toString());
        assertTrue(r.at("/results/1/per_thread_median").asDouble() > 0, r.toString());
        assertEquals(2, r.at("/results/1/n").asInt());
    }

    @Test
    void peakNeedsAtLeastOneRepeat() {
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"bench", "peak", "--repeats", "0"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertEquals(2, status);
        assertTrue(err.toString().contains("--repeats': must be at least 1"), err.toString());
    }

    @Test
    @Tag("integration")
    void fmnistTrainsAnEpochAndReportsTimeAccuracyAndMemory() throws Exception {
        JsonNode r = run("bench", "fmnist", "--epochs", "1", "--json");
        assertTrue(r.at("/train_s_stats/median").asDouble() > 0);
        assertTrue(r.get("final_test_acc").asDouble() > 0.8, r.toString());
        assertTrue(r.get("peak_rss_mib").asDouble() > 0);
    }
}
