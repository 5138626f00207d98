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
 * The element-wise math (div, exp, log, log1p, sqrt, abs, pow, clamp), the reductions over a dimension (max,
 * min, var), selection (where, masked fill, gather, index select) and the batched product of {@link Functional} against PyTorch (every case of {@code fixtures/math_ops.json}) and finite
 * differences, through {@link OpCheck}.
 */
class MathOpsTest {
    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("div", (x, c) -> Functional.div(x[0], x[1])),
            entry("add", (x, c) -> Functional.add(x[0], x[1])),
            entry("sub", (x, c) -> Functional.sub(x[0], x[1])),
            entry("mul", (x, c) -> Functional.mul(x[0], x[1])),
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
                    c.bool("keep_dim"))),
            entry("where", (x, c) -> Functional.where(x[0], x[1], x[2])),
            entry("masked_fill", (x, c) -> Functional.maskedFill(x[1], x[0], c.number("value"))),
            entry("gather", (x, c) -> Functional.gather(x[1], c.integer("dim"), x[0])),
            entry("index_select", (x, c) -> Functional.indexSelect(x[0], c.integer("dim"), c.ints("indices"))),
            entry("bmm", (x, c) -> Functional.bmm(x[0], x[1])));

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
    void aLossWrittenFromTheOpsMatchesTheBuiltIn() {
        // the focal loss −mean((1 − p_t)^γ log p_t) with γ = 0 is the cross-entropy: value and gradient
        Tensor logits = Tensor.randn(new dev.nabla.tensor.Rng(4), 6, 5).requiresGrad(true);
        int[] targets = {0, 4, 2, 2, 1, 3};
        float[] index = new float[targets.length];
        for (int i = 0; i < targets.length; i++) {
            index[i] = targets[i];
        }
        Tensor logPt = Functional.gather(Functional.logSoftmax(logits), 1, Tensor.of(index, 6, 1));
        Tensor weight = Functional.pow(Functional.sub(Tensor.ones(6, 1), Functional.exp(logPt)), 0);
        Tensor focal = Functional.mul(Functional.mean(Functional.mul(weight, logPt)), Tensor.scalar(-1));
        focal.backward();
        float[] focalGrad = logits.grad().data().clone();
        logits.zeroGrad();
        Tensor ce = Functional.crossEntropy(logits, targets);
        ce.backward();
        assertEquals(ce.item(), focal.item(), 1e-6);
        for (int i = 0; i < focalGrad.length; i++) {
            assertEquals(logits.grad().data()[i], focalGrad[i], 1e-6, "element " + i);
        }
    }

    @Test
    void argmaxAndArgminGiveTheIndexAlongTheDimension() {
        Tensor x = Tensor.of(new float[] {1, 5, 2, 7, 0, 3}, 2, 3);
        assertArrayEquals(new int[] {1, 0}, Functional.argmax(x, 1));
        assertArrayEquals(new int[] {0, 1}, Functional.argmin(x, -1));
        assertArrayEquals(new int[] {1, 0, 1}, Functional.argmax(x, 0));
    }

    @Test
    void badArgumentsAreRefused() {
        Tensor x = Tensor.ones(2, 3);
        assertEquals("clamp needs min <= max, got min 1.0 and max 0.0",
                assertThrows(IllegalArgumentException.class, () -> Functional.clamp(x, 1, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Functional.var(x, 1, -1, false));
        assertThrows(IllegalArgumentException.class, () -> Functional.max(x, 2, false));
        assertThrows(IllegalArgumentException.class, () -> Functional.div(x, Tensor.ones(2)));
        assertEquals("gather: index 3 is out of range for dimension 1 of size 3", assertThrows(
                IllegalArgumentException.class, () -> Functional.gather(x, 1, Tensor.of(new float[] {3, 0}, 2, 1)))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> Functional.gather(x, 1, Tensor.of(new float[] {0.5f,
            0}, 2, 1)));
        assertThrows(IllegalArgumentException.class, () -> Functional.indexSelect(x, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> Functional.bmm(x, x));
        assertThrows(IllegalArgumentException.class, () -> Functional.where(Tensor.ones(3), x, x));
    }
}
