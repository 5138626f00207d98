package dev.nabla.ops;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.OpCheck;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shape ops of {@link Functional} (select, narrow, slice, cat, stack, transpose, permute, sum and mean over a
 * dimension) against PyTorch (every case of {@code fixtures/shape_ops.json}) and finite differences, through
 * {@link OpCheck}; their argument checks; and {@link Tensor#detach()} cutting the graph.
 */
class ShapeOpsTest {
    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("select", (x, c) -> Functional.select(x[0], c.integer("dim"), c.integer("index"))),
            entry("narrow", (x, c) -> Functional.narrow(x[0], c.integer("dim"), c.integer("start"),
                    c.integer("length"))),
            entry("slice", (x, c) -> Functional.slice(x[0], c.integer("dim"), c.integer("start"), c.integer("end"),
                    c.integer("step"))),
            entry("cat", (x, c) -> Functional.cat(Arrays.asList(x), c.integer("dim"))),
            entry("stack", (x, c) -> Functional.stack(Arrays.asList(x), c.integer("dim"))),
            entry("transpose", (x, c) -> Functional.transpose(x[0], c.integer("dim0"), c.integer("dim1"))),
            entry("permute", (x, c) -> Functional.permute(x[0], c.ints("dims"))),
            entry("sum_dim", (x, c) -> Functional.sum(x[0], c.integer("dim"), c.bool("keep_dim"))),
            entry("mean_dim", (x, c) -> Functional.mean(x[0], c.integer("dim"), c.bool("keep_dim"))));

    static Stream<String> cases() {
        return OpCheck.names("shape_ops.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        OpCheck.Op call = OPS.get(OpCheck.load(name).op());
        assertNotNull(call, name + " exercises an op ShapeOpsTest does not map to a call");
        OpCheck.check(name, call);
    }

    private final Tensor x = Tensor.randn(new Rng(1), 3, 4, 5);

    @Test
    void badDimensionsAndIndicesAreRefusedNamingTheValidRange() {
        assertMessage(() -> Functional.select(x, 3, 0), "axis 3 is out of range", "[-3, 2]");
        assertMessage(() -> Functional.select(x, 1, 4), "index 4 is out of range for dimension 1", "[-4, 3]");
        assertMessage(() -> Functional.narrow(x, 2, 3, 3), "start + length at most 5");
        assertMessage(() -> Functional.narrow(x, 2, 0, -1), "start + length at most 5");
        assertMessage(() -> Functional.slice(x, 0, 0, 2, 0), "slice step must be at least 1, got 0");
        assertMessage(() -> Functional.permute(x, 0, 1), "needs 3 dimensions, got 2");
        assertMessage(() -> Functional.permute(x, 0, 1, -2), "name dimension 1 twice");
        assertMessage(() -> Functional.permute(x, 0, 1, 3), "axis 3 is out of range");
        assertMessage(() -> Functional.transpose(x, 0, -4), "axis -4 is out of range");
        assertMessage(() -> Functional.sum(x, 3, false), "axis 3 is out of range");
        assertMessage(() -> Functional.mean(x, -4, true), "axis -4 is out of range");
    }

    @Test
    void catAndStackNameTheTensorThatDoesNotFit() {
        Tensor a = Tensor.zeros(2, 3);
        assertMessage(() -> Functional.cat(List.of(a, Tensor.zeros(2, 4), Tensor.zeros(3, 3)), 0),
                "tensor 1 has shape [2, 4] but tensor 0 has [2, 3]", "except along dimension 0");
        assertMessage(() -> Functional.cat(List.of(a, Tensor.zeros(2, 3, 1)), 1), "tensor 1 has shape [2, 3, 1]");
        assertMessage(() -> Functional.cat(List.of(), 0), "at least one tensor");
        assertMessage(() -> Functional.stack(List.of(a, a, Tensor.zeros(3, 2)), 0),
                "tensor 2 has shape [3, 2] but tensor 0 has [2, 3]");
        assertMessage(() -> Functional.stack(List.of(a), 3), "new dimension 3 is out of range", "[-3, 2]");
    }

    @Test
    void anEmptySliceHasSizeZeroAndGivesZeroGradients() {
        Tensor leaf = x.copy().requiresGrad(true);
        Tensor empty = Functional.slice(leaf, 1, 3, 1, 1);
        assertArrayEquals(new int[] {3, 0, 5}, empty.shape().dims());
        Functional.sum(Functional.cat(List.of(empty, Functional.narrow(leaf, 1, 0, 1)), 1)).backward();
        float[] g = leaf.grad().data();
        for (int i = 0; i < g.length; i++) {
            assertEquals(i % 20 < 5 ? 1f : 0f, g[i], "index " + i);
        }
    }

    @Test
    void detachCutsTheGraphAsTruncatedBackpropagationThroughTimeNeeds() {
        Tensor w = Tensor.randn(new Rng(2), 4, 4).requiresGrad(true);
        Tensor h = Tensor.randn(new Rng(3), 2, 4);
        Tensor h1 = Functional.tanh(Functional.matmul(h, w));
        Tensor cut = h1.detach();
        assertTrue(cut.isLeaf() && !cut.requiresGrad());
        Functional.sum(Functional.tanh(Functional.matmul(cut, w))).backward();
        float[] truncated = w.grad().data().clone();

        Tensor secondOnly = w.detach().copy().requiresGrad(true);
        Tensor h1Values = Tensor.of(h1.data().clone(), 2, 4);
        Functional.sum(Functional.tanh(Functional.matmul(h1Values, secondOnly))).backward();
        assertArrayEquals(secondOnly.grad().data(), truncated, "only the step after the cut reaches w");

        Tensor whole = w.detach().copy().requiresGrad(true);
        Functional.sum(Functional.tanh(Functional.matmul(Functional.tanh(Functional.matmul(h, whole)), whole)))
                .backward();
        assertTrue(maxAbsDiff(whole.grad().data(), truncated) > 1e-3, "without the cut both steps reach w");
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static void assertMessage(Executable call, String... parts) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), message);
        }
    }
}
