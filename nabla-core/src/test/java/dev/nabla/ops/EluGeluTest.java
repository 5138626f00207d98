package dev.nabla.ops;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.OpCheck;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ELU and GELU (both forms) against PyTorch (every case of {@code fixtures/activations.json}, inputs from −40 to 40
 * with 0 and tiny ones) and finite differences, through {@link OpCheck}.
 */
class EluGeluTest {
    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("elu_default", (x, c) -> Functional.elu(x[0])),
            entry("elu", (x, c) -> Functional.elu(x[0], c.number("alpha"))),
            entry("gelu_default", (x, c) -> Functional.gelu(x[0])),
            entry("gelu", (x, c) -> Functional.gelu(x[0],
                    GeluApproximation.valueOf(c.text("approximate").toUpperCase(Locale.ROOT)))));

    static Stream<String> cases() {
        return OpCheck.names("activations.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        OpCheck.Op call = OPS.get(OpCheck.load(name).op());
        assertNotNull(call, name + " exercises an op EluGeluTest does not map to a call");
        OpCheck.check(name, call);
    }

    @Test
    void theTanhFormStaysWithinItsKnownDistanceOfTheExactOne() {
        float[] xs = new float[241];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -6 + i * 0.05f;
        }
        Tensor x = Tensor.of(xs, xs.length);
        float[] exact = Functional.gelu(x).data();
        float[] tanh = Functional.gelu(x, GeluApproximation.TANH).data();
        double worst = 0;
        for (int i = 0; i < xs.length; i++) {
            worst = Math.max(worst, Math.abs(exact[i] - tanh[i]));
        }
        assertTrue(worst > 1e-5 && worst < 5e-4, "the two forms differ, by at most 5e-4: " + worst);
    }

    @Test
    void aNegativeOrNonFiniteAlphaIsRefused() {
        String message = assertThrows(IllegalArgumentException.class,
                () -> Functional.elu(Tensor.zeros(2), -1)).getMessage();
        assertEquals("elu's alpha must be finite and >= 0, got -1", message.replace("-1.0", "-1"));
        assertThrows(IllegalArgumentException.class, () -> Functional.elu(Tensor.zeros(2), Double.NaN));
    }
}
