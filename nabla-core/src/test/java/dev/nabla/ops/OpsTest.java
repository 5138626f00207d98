package dev.nabla.ops;

import static dev.nabla.ops.Functional.add;
import static dev.nabla.ops.Functional.batchNorm;
import static dev.nabla.ops.Functional.batchNormRelu;
import static dev.nabla.ops.Functional.crossEntropy;
import static dev.nabla.ops.Functional.groupNorm;
import static dev.nabla.ops.Functional.layerNorm;
import static dev.nabla.ops.Functional.leakyRelu;
import static dev.nabla.ops.Functional.linear;
import static dev.nabla.ops.Functional.logSoftmax;
import static dev.nabla.ops.Functional.matmul;
import static dev.nabla.ops.Functional.mean;
import static dev.nabla.ops.Functional.mul;
import static dev.nabla.ops.Functional.relu;
import static dev.nabla.ops.Functional.sigmoid;
import static dev.nabla.ops.Functional.softmax;
import static dev.nabla.ops.Functional.sub;
import static dev.nabla.ops.Functional.sum;
import static dev.nabla.ops.Functional.tanh;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.testing.OpCheck;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every op of {@link Functional} against PyTorch (every case of {@code fixtures/ops.json}) and finite differences,
 * through {@link OpCheck}. Softmax along a dimension and the losses, with all their options, are in
 * {@link LossOpsTest} ({@code fixtures/losses.json}). Dropout draws from Nabla's own generator and is tested in
 * {@link DropoutTest}.
 */
class OpsTest {
    /** The call for each fixture op name: one line per op. */
    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("matmul", (x, c) -> matmul(x[0], x[1])),
            entry("linear", (x, c) -> linear(x[0], x[1], x[2])),
            entry("linear_no_bias", (x, c) -> linear(x[0], x[1], null)),
            entry("linear_relu", (x, c) -> linear(x[0], x[1], x[2], Activation.RELU)),
            entry("linear_sigmoid", (x, c) -> linear(x[0], x[1], x[2], Activation.SIGMOID)),
            entry("linear_sigmoid_no_bias", (x, c) -> linear(x[0], x[1], null, Activation.SIGMOID)),
            entry("linear_tanh", (x, c) -> linear(x[0], x[1], x[2], Activation.TANH)),
            entry("linear_leaky_relu", (x, c) -> linear(x[0], x[1], x[2], Activation.LEAKY_RELU)),
            entry("add", (x, c) -> add(x[0], x[1])),
            entry("sub", (x, c) -> sub(x[0], x[1])),
            entry("mul", (x, c) -> mul(x[0], x[1])),
            entry("sum", (x, c) -> sum(x[0])),
            entry("mean", (x, c) -> mean(x[0])),
            entry("sigmoid", (x, c) -> sigmoid(x[0])),
            entry("tanh", (x, c) -> tanh(x[0])),
            entry("relu", (x, c) -> relu(x[0])),
            entry("leaky_relu_default", (x, c) -> leakyRelu(x[0])),
            entry("leaky_relu", (x, c) -> leakyRelu(x[0], c.number("slope"))),
            entry("softmax", (x, c) -> softmax(x[0])),
            entry("log_softmax", (x, c) -> logSoftmax(x[0])),
            entry("cross_entropy", (x, c) -> crossEntropy(x[0], c.ints("targets"))),
            entry("reshape", (x, c) -> x[0].reshape(c.ints("shape"))),
            entry("batch_norm", (x, c) -> batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5)),
            entry("batch_norm_relu", (x, c) -> batchNormRelu(x[0], null, null, x[1], x[2], true, 0.1, 1e-5)),
            entry("batch_norm_eval", (x, c) -> batchNorm(x[0], c.tensor("running_mean"), c.tensor("running_var"),
                    x[1], x[2], false, 0.1, 1e-5)),
            entry("layer_norm", (x, c) -> layerNorm(x[0], c.ints("normalized_shape"), x[1], x[2], 1e-5)),
            entry("group_norm", (x, c) -> groupNorm(x[0], (int) c.number("num_groups"), x[1], x[2], 1e-5)));

    /**
     * Cases whose inputs float32 cannot perturb by a small step: at |x| = 1e4 the spacing of floats is 1e-3, and
     * log-softmax's outputs of size 2e4 round to 2e-3, so a difference quotient over h = 1e-3 is noise. PyTorch's
     * values still check forward and backward there.
     */
    private static final Set<String> NO_FINITE_DIFFERENCES = Set.of("log_softmax_large_logits");

    static Stream<String> cases() {
        return OpCheck.names("ops.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        String op = OpCheck.load(name).op();
        OpCheck.Op call = OPS.get(op);
        assertNotNull(call, "fixture case " + name + " exercises op '" + op + "', which OpsTest does not map to a call");
        OpCheck.check(name, NO_FINITE_DIFFERENCES.contains(name) ? null : OpCheck.GRAD_CHECK, call);
    }

    /**
     * A public op added to Functional without fixture cases (in any of {@link OpCheck#FILES}) fails here. A fixture
     * op covers the Functional op whose snake-case name it equals or extends ({@code leaky_relu_default} covers
     * {@code leakyRelu}), the longest such name winning: {@code binary_cross_entropy_with_logits} covers
     * {@code binaryCrossEntropyWithLogits} only, not {@code binaryCrossEntropy}.
     */
    @Test
    void everyFunctionalOpHasFixtureCases() {
        Set<String> functionalOps = new TreeSet<>();
        for (Method m : Functional.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                    && m.getReturnType() == dev.nabla.tensor.Tensor.class) {   // argmax and argmin give indices, no graph
                functionalOps.add(m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT));
            }
        }
        Set<String> covered = new TreeSet<>();
        for (String name : OpCheck.names()) {
            String fixtureOp = OpCheck.load(name).op();
            functionalOps.stream()
                    .filter(f -> fixtureOp.equals(f) || fixtureOp.startsWith(f + "_"))
                    .max(Comparator.comparingInt(String::length))
                    .ifPresent(covered::add);
        }
        Set<String> missing = new TreeSet<>(functionalOps);
        missing.removeAll(covered);
        missing.remove("dropout");     // random masks: DropoutTest and ConvOpsTest check them by their statistics
        missing.remove("dropout2d");
        assertEquals(Set.of(), missing, "Functional ops without a case in " + OpCheck.FILES + " (tools/fixtures)");

        Set<String> used = new TreeSet<>();
        cases().forEach(name -> used.add(OpCheck.load(name).op()));
        assertTrue(used.containsAll(OPS.keySet()), "OpsTest maps ops that no fixture case uses: " + OPS.keySet());
    }
}
