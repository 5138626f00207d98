package dev.nabla.ops;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.tensor.Tensor;
import dev.nabla.testing.OpCheck;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The element-wise math (div, exp, log, log1p, sqrt, abs, pow, clamp) and the reductions over a dimension (max,
 * min, var) of {@link Functional} against PyTorch (every case of {@code fixtures/math_ops.json}) and finite
 * differences, through {@link OpCheck}.
 */
class MathOpsTest {
    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("div", (x, c) -> Functional.div(x[0], x[1])),
            entry("exp", (x, c) -> Functional.exp(x[0])),
            entry("log", (x, c) -> Functional.log(x[0])),
            entry("log1p", (x, c) -> Functional.log1p(x[0])),
            entry("sqrt", (x, c) -> Functional.sqrt(x[0])),
            entry("abs", (x, c) -> Functional.abs(x[0])),
            entry("pow", (x, c) -> Functional.pow(x[0], c.number("exponent"))),
            entry("clamp", (x, c) -> Functional.clamp(x[0], c.number("min"), c.number("max"))),
            entry("max", (x, c) -> Functional.max(x[0], c.integer("dim"), c.bool("keep_dim"))),
            entry("min", (x, c) -> Functional.min(x[0], c.integer("dim"), c.bool("keep_dim"))),
            entry("var", (x, c) -> Functional.var(x[0], c.integer("dim"), c.integer("correction"),
                    c.bool("keep_dim"))));

    static Stream<String> cases() {
        return OpCheck.names("math_ops.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        OpCheck.Op call = OPS.get(OpCheck.load(name).op());
        assertNotNull(call, name + " exercises an op MathOpsTest does not map to a call");
        OpCheck.check(name, call);
    }

    @Test
    void maxTakesTheFirstOfEqualValuesAndPassesItTheWholeGradient() {
        Tensor x = Tensor.of(new float[] {1, 3, 3, 2}, 1, 4).requiresGrad(true);
        Tensor y = Functional.max(x, 1, false);
        assertEquals(3f, y.item());
        y.backward();
        assertArrayEquals(new float[] {0, 1, 0, 0}, x.grad().data());
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor x = Tensor.ones(2, 3);
        assertEquals("clamp needs min <= max, got min 1.0 and max 0.0",
                assertThrows(IllegalArgumentException.class, () -> Functional.clamp(x, 1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Functional.var(x, 1, -1, false));
        assertThrows(IllegalArgumentException.class, () -> Functional.max(x, 2, false));
        assertThrows(IllegalArgumentException.class, () -> Functional.div(x, Tensor.ones(2)));
    }
}
