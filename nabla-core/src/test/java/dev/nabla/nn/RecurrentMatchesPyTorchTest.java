package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import dev.nabla.testing.OpCheck;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The recurrent layers, cells and the classifier, given PyTorch's parameters under PyTorch's names, give PyTorch's
 * outputs, final states and gradients (fixtures from {@code tools/fixtures/recurrent.py}).
 */
class RecurrentMatchesPyTorchTest {
    private static final Fixtures FIXTURES = Fixtures.load("recurrent.json");

    static Stream<String> layerCases() {
        return names().filter(n -> !n.contains("cell") && !n.startsWith("classifier"));
    }

    static Stream<String> cellCases() {
        return names().filter(n -> n.contains("cell"));
    }

    static Stream<String> classifierCases() {
        return names().filter(n -> n.startsWith("classifier"));
    }

    private static Stream<String> names() {
        return StreamSupport.stream(FIXTURES.names().spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerCases")
    void layersMatchPyTorch(String name) {
        JsonNode c = FIXTURES.get(name);
        JsonNode o = c.get("options");
        RecurrentOptions options = RecurrentOptions.of(o.get("input_size").asInt(), o.get("hidden_size").asInt())
                .numLayers(o.get("num_layers").asInt()).bias(o.get("bias").asBoolean())
                .batchFirst(o.get("batch_first").asBoolean()).bidirectional(o.get("bidirectional").asBoolean());
        String kind = c.get("kind").asText();
        Recurrent layer = switch (kind) {
            case "lstm" -> new LSTM(options, new Rng(1));
            case "gru" -> new GRU(options, new Rng(1));
            case "rnn_relu" -> new RNN(options.nonlinearity(Activation.RELU), new Rng(1));
            default -> new RNN(options, new Rng(1));
        };
        load(layer, c);
        Tensor x = input(c, "input");
        Tensor h0 = input(c, "h0");
        Tensor c0 = input(c, "c0");
        Recurrent.Output out = layer instanceof LSTM lstm ? lstm.run(x, h0, c0) : layer.run(x, h0);
        backward(c, out.output(), out.hN(), out.cN());
        assertEquals(kind.equals("lstm"), out.cN() != null, name + ": c_n only for the LSTM");
        compareGradients(name, c, layer, x, h0, c0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cellCases")
    void cellsMatchPyTorch(String name) {
        JsonNode c = FIXTURES.get(name);
        JsonNode o = c.get("options");
        int in = o.get("input_size").asInt();
        int hidden = o.get("hidden_size").asInt();
        boolean bias = o.get("bias").asBoolean();
        Tensor x = input(c, "input");
        Tensor h0 = input(c, "h0");
        Tensor c0 = input(c, "c0");
        RecurrentCell cell;
        switch (c.get("kind").asText()) {
            case "lstm" -> {
                LSTMCell lstm = new LSTMCell(in, hidden, bias, new Rng(1));
                load(lstm, c);
                LSTMCell.State s = lstm.step(x, h0, c0);
                backward(c, s.h(), null, s.c());
                cell = lstm;
            }
            case "gru" -> {
                GRUCell gru = new GRUCell(in, hidden, bias, new Rng(1));
                load(gru, c);
                backward(c, gru.step(x, h0), null, null);
                cell = gru;
            }
            default -> {
                Activation f = c.get("kind").asText().equals("rnn_relu") ? Activation.RELU : Activation.TANH;
                RNNCell rnn = new RNNCell(in, hidden, bias, f, new Rng(1));
                load(rnn, c);
                backward(c, rnn.step(x, h0), null, null);
                cell = rnn;
            }
        }
        compareGradients(name, c, cell, x, h0, c0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifierCases")
    void classifierMatchesItsPyTorchTwin(String name) {
        JsonNode c = FIXTURES.get(name);
        JsonNode o = c.get("options");
        int hidden = o.get("hidden_size").asInt();
        boolean both = o.get("bidirectional").asBoolean();
        List<Recurrent> layers = new ArrayList<>();
        for (int i = 0; i < o.get("layers").asInt(); i++) {
            int in = i == 0 ? o.get("features").asInt() : hidden * (both ? 2 : 1);
            RecurrentOptions options = RecurrentOptions.of(in, hidden).batchFirst(true).bidirectional(both);
            layers.add(switch (c.get("cell").asText()) {
                case "lstm" -> new LSTM(options, new Rng(i));
                case "gru" -> new GRU(options, new Rng(i));
                default -> new RNN(options, new Rng(i));
            });
        }
        RecurrentClassifier model = new RecurrentClassifier(layers, o.get("steps").asInt(), o.get("classes").asInt(),
                new Rng(9));
        load(model, c);
        Tensor x = input(c, "input");
        Tensor logits = model.forward(x);
        OpCheck.assertClose(Fixtures.tensor(c.get("output")), logits, name + ": logits");
        Tensor loss = Functional.crossEntropy(logits, Fixtures.ints(c.get("targets")));
        assertEquals(c.get("loss").asDouble(), loss.item(), 1e-5 + 1e-4 * Math.abs(loss.item()), name + ": loss");
        loss.backward();
        compareGradients(name, c, model, x, null, null);
    }

    /** Sets the module's parameters to the case's, checking that the names (and so the order) are PyTorch's. */
    private static void load(Module module, JsonNode c) {
        Map<String, Tensor> params = module.namedParameters();
        assertEquals(List.copyOf(fieldNames(c.get("params"))), List.copyOf(params.keySet()), "parameter names");
        params.forEach((n, p) -> {
            Tensor value = Fixtures.tensor(c.get("params").get(n));
            assertEquals(value.shape(), p.shape(), n + " shape");
            System.arraycopy(value.data(), 0, p.data(), 0, value.size());
        });
    }

    private static Tensor input(JsonNode c, String key) {
        return c.has(key) ? Fixtures.tensor(c.get(key)).requiresGrad(true) : null;
    }

    /** Compares the results with the case's, then backpropagates Σ result ⊙ upstream over those the case has. */
    private static void backward(JsonNode c, Tensor output, Tensor hN, Tensor cN) {
        Tensor loss = null;
        for (var entry : new Object[][] {{"output", output}, {"h_n", hN}, {"c_n", cN}}) {
            String key = (String) entry[0];
            Tensor value = (Tensor) entry[1];
            if (!c.has(key)) {
                continue;
            }
            assertNotNull(value, key + " is missing");
            OpCheck.assertClose(Fixtures.tensor(c.get(key)), value, key);
            Tensor term = Functional.sum(Functional.mul(value, Fixtures.tensor(c.get("g_" + key))));
            loss = loss == null ? term : Functional.add(loss, term);
        }
        loss.backward();
    }

    private static void compareGradients(String name, JsonNode c, Module module, Tensor x, Tensor h0, Tensor c0) {
        OpCheck.assertClose(Fixtures.tensor(c.get("grad_input")), x.grad(), name + ": gradient of the input");
        if (h0 != null) {
            OpCheck.assertClose(Fixtures.tensor(c.get("grad_h0")), h0.grad(), name + ": gradient of h0");
        }
        if (c0 != null) {
            OpCheck.assertClose(Fixtures.tensor(c.get("grad_c0")), c0.grad(), name + ": gradient of c0");
        } else {
            assertNull(c.get("grad_c0"), name + ": the case has a c0 the test did not pass");
        }
        module.namedParameters().forEach((n, p) -> {
            assertNotNull(p.grad(), name + ": " + n + " has no gradient");
            OpCheck.assertClose(Fixtures.tensor(c.get("grads").get(n)), p.grad(), name + ": gradient of " + n);
        });
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            names.add(it.next());
        }
        return names;
    }
}
