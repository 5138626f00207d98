package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Digits;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models travel between Nabla and PyTorch as safetensors files, both ways: PyTorch's trained models
 * ({@code tools/fixtures/interop.py generate}) load into Nabla's and give PyTorch's outputs; Nabla's trained models
 * load into the equivalent {@code torch.nn} modules with {@code load_state_dict(strict=True)} (the script run by
 * Debian's python3 with python3-torch, which {@code tools/install-test-data} installs) and give Nabla's outputs.
 */
class PyTorchInteropTest {
    private static final Fixtures FIXTURES = Fixtures.load("interop.json");
    /** Float32 rounding of different summation orders, on outputs of order 1. */
    private static final float TOLERANCE = 1e-5f;

    @TempDir
    Path dir;

    private static ModelSpec spec(String kind) {
        return switch (kind) {
            case "mlp_bn" -> new MlpSpec(64, List.of(32), 10, Activation.RELU, Init.Scheme.DEFAULT, true);
            case "lstm" -> new RecurrentSpec(RecurrentSpec.Kind.LSTM, 8, 8, List.of(16), 10, Activation.TANH,
                    Double.NaN);
            case "cnn" -> new CnnSpec(8, 8, List.of(4, 8), List.of(16), 10, true, 0);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Tensor eval(Module model, Tensor x) {
        model.eval();
        try (var _ = NoGrad.enter()) {
            return model.call(x);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_bn", "lstm", "cnn"})
    void aModelPyTorchSavedGivesPyTorchsOutputsInNabla(String kind) throws IOException, URISyntaxException {
        JsonNode c = FIXTURES.get(kind);
        Path file = Path.of(getClass().getResource("/fixtures/" + c.get("file").asText()).toURI());
        Module model = spec(kind).build(new Rng(1));
        assertEquals(List.of(), ModelFile.loadInto(file, model, true), "a float32 file converts nothing");
        assertClose(Fixtures.tensor(c.get("output")), eval(model, Fixtures.tensor(c.get("input"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp_bn", "lstm", "cnn"})
    void aModelNablaSavedGivesNablasOutputsInPyTorch(String kind) throws Exception {
        ModelSpec spec = spec(kind);
        Module model = spec.build(new Rng(2));
        Trainer.builder(model, new Adam(model.parameters(), 1e-2)).batchSize(32).maxSteps(8).build()
                .fit(Digits.train(), null);
        Path file = dir.resolve(kind + ".safetensors");
        ModelFile.save(file, model, new ModelDescription(spec, 64, List.of(8, 8), List.of(), Digits.train().classNames(),
                "digits"));
        Tensor x = Digits.test().batch(new int[] {0, 1, 2, 3, 4}).x();
        Tensor expected = eval(model, x);
        Path input = dir.resolve("input.json");
        new ObjectMapper().writeValue(input.toFile(), Map.of("shape", x.shape().dims(), "data", x.data()));
        JsonNode out = new ObjectMapper().readTree(python("check", kind, file.toString(), input.toString()));
        assertClose(expected, Fixtures.tensor(out.get("output")));

        ModelFile.Loaded loaded = ModelFile.load(file);
        assertEquals(spec, loaded.description().spec());
        assertClose(expected, eval(loaded.model(), x));
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.data()[i];
            float a = actual.data()[i];
            assertTrue(Math.abs(e - a) <= TOLERANCE * Math.max(1, Math.abs(e)), "element " + i + ": expected " + e
                    + ", got " + a);
        }
    }

    /** Runs tools/fixtures/interop.py with Debian's python3 and returns what it printed. */
    private static String python(String... args) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("basedir", "."), "..", "tools", "fixtures", "interop.py")
                .normalize();
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        assertEquals(0, status, "python3 " + script + " failed (install python3-torch with tools/install-test-data):"
                + "\n" + err);
        return out;
    }
}
