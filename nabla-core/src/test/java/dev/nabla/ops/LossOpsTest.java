package dev.nabla.ops;

import static dev.nabla.ops.Functional.binaryCrossEntropy;
import static dev.nabla.ops.Functional.binaryCrossEntropyWithLogits;
import static dev.nabla.ops.Functional.crossEntropy;
import static dev.nabla.ops.Functional.klDiv;
import static dev.nabla.ops.Functional.logSoftmax;
import static dev.nabla.ops.Functional.mseLoss;
import static dev.nabla.ops.Functional.nllLoss;
import static dev.nabla.ops.Functional.softmax;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.GradCheck;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import dev.nabla.testing.OpCheck;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Softmax along any dimension and every loss with every option, against PyTorch (every case of
 * {@code fixtures/losses.json}, written by {@code tools/fixtures/losses.py}) and finite differences, through
 * {@link OpCheck}. The case names say what each covers, e.g. {@code cross_entropy_3x4x7_weight_ignore_smooth0.1_sum}.
 * Where Nabla differs from PyTorch on purpose, the cases are left out of the fixtures and tested in
 * {@link LossExtremesTest}.
 */
class LossOpsTest {
    /** The call for each fixture op, reading the options from the case. */
    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("softmax_dim", (x, c) -> softmax(x[0], c.integer("dim"))),
            entry("log_softmax_dim", (x, c) -> logSoftmax(x[0], c.integer("dim"))),
            entry("cross_entropy", (x, c) -> crossEntropy(x[0], c.ints("targets"), c.tensorOrNull("weight"),
                    c.integer("ignore_index"), c.number("label_smoothing"), reduction(c))),
            entry("cross_entropy_probs", (x, c) -> crossEntropy(x[0], x[1], c.tensorOrNull("weight"),
                    c.number("label_smoothing"), reduction(c))),
            entry("nll_loss", (x, c) -> nllLoss(x[0], c.ints("targets"), c.tensorOrNull("weight"),
                    c.integer("ignore_index"), reduction(c))),
            entry("kl_div", (x, c) -> klDiv(x[0], x[1], reduction(c), c.bool("log_target"))),
            entry("binary_cross_entropy_with_logits", (x, c) -> binaryCrossEntropyWithLogits(x[0], x[1],
                    c.tensorOrNull("weight"), c.tensorOrNull("pos_weight"), reduction(c))),
            entry("binary_cross_entropy", (x, c) -> binaryCrossEntropy(x[0], x[1], c.tensorOrNull("weight"),
                    reduction(c))),
            entry("mse_loss", (x, c) -> mseLoss(x[0], x[1], reduction(c))),
            entry("l1_loss", (x, c) -> Functional.l1Loss(x[0], x[1], reduction(c))),
            entry("smooth_l1_loss", (x, c) -> Functional.smoothL1Loss(x[0], x[1], reduction(c), c.number("beta"))),
            entry("huber_loss", (x, c) -> Functional.huberLoss(x[0], x[1], reduction(c), c.number("delta"))));

    static Stream<String> cases() {
        return OpCheck.names("losses.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        String op = OpCheck.load(name).op();
        OpCheck.Op call = OPS.get(op);
        assertNotNull(call, "fixture case " + name + " exercises op '" + op + "', which LossOpsTest does not map");
        OpCheck.check(name, finiteDifferences(OpCheck.load(name)), call);
    }

    /**
     * The finite-difference check for a case: {@link OpCheck#GRAD_CHECK}, or {@code null} (skipped; PyTorch's
     * forward and backward values are still compared) where no difference quotient can be formed:
     * <ul>
     *   <li>an input of magnitude 1e3 or more: float32 spacing at 1e4 is 1e-3, the step itself, and a loss of
     *       order 1e4 rounds in units of 1e-3, so the quotient over 2h = 2e-3 is rounding noise;</li>
     *   <li>an output PyTorch gives as ±∞ or NaN (a row of −∞ logits, masked classes with smoothing mass, a mean
     *       over no counted target, log-softmax at a −∞ logit): the checked scalar Σ r·y is not finite;</li>
     *   <li>binary cross-entropy at an input within one step h of 0 or 1: the step leaves [0, 1], which the
     *       loss rejects.</li>
     * </ul>
     */
    static GradCheck.Options finiteDifferences(OpCheck.Case c) {
        for (Tensor x : c.inputs()) {
            for (float v : x.data()) {
                if (Float.isFinite(v) && Math.abs(v) >= 1e3f) {
                    return null;
                }
            }
        }
        for (float v : Fixtures.tensor(c.node().get("output")).data()) {
            if (!Float.isFinite(v)) {
                return null;
            }
        }
        if (c.op().equals("binary_cross_entropy")) {
            for (float v : c.inputs()[0].data()) {
                if (v <= OpCheck.GRAD_CHECK.eps() || v >= 1 - OpCheck.GRAD_CHECK.eps()) {
                    return null;
                }
            }
        }
        return OpCheck.GRAD_CHECK;
    }

    /** The rules above skip the named extremes only: every op and every option is finite-difference checked. */
    @Test
    void finiteDifferencesAreSkippedForTheExtremesOnly() {
        Set<String> checkedOps = new TreeSet<>();
        for (String name : OpCheck.names("losses.json")) {
            OpCheck.Case c = OpCheck.load(name);
            if (finiteDifferences(c) == null) {
                assertTrue(name.matches(".*_(large|masked|extremes|all_ignored|all_inf_row|zero_one)_.*"),
                        name + " skips finite differences but is not one of the extreme cases");
            } else {
                checkedOps.add(c.op());
            }
        }
        assertEquals(OPS.keySet(), checkedOps);
    }

    @Test
    void everyMappedOpHasCases() {
        Set<String> used = new TreeSet<>();
        cases().forEach(name -> used.add(OpCheck.load(name).op()));
        assertEquals(new TreeSet<>(OPS.keySet()), used);
    }

    private static Reduction reduction(OpCheck.Case c) {
        return Reduction.valueOf(c.text("reduction").toUpperCase(Locale.ROOT));
    }
}
