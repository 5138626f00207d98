package dev.nabla.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.autograd.NoGrad;
import dev.nabla.diagnostics.GradCheck;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks one differentiable op in one line against a case of {@code fixtures/ops.json} (written by
 * {@code tools/fixtures/ops.py}), {@code fixtures/losses.json} ({@code tools/fixtures/losses.py}),
 * {@code fixtures/recurrent_ops.json} ({@code tools/fixtures/recurrent.py}), {@code fixtures/shape_ops.json}
 * ({@code tools/fixtures/shape_ops.py}) or {@code fixtures/activations.json} ({@code tools/fixtures/activations.py});
 * case names are unique across the files:
 *
 * <pre>{@code
 * OpCheck.check("matmul_7x13_13x5", (x, c) -> Functional.matmul(x[0], x[1]));
 * OpCheck.check("cross_entropy_6x5", (x, c) -> Functional.crossEntropy(x[0], c.ints("targets")));
 * }</pre>
 *
 * <ol>
 *   <li>builds the case's inputs as fresh leaf tensors that require grad (except those whose fixture gradient
 *       is {@code null}: a gradient PyTorch does not define, or defines differently on purpose);</li>
 *   <li>runs the op and compares its output (shape and values) with PyTorch's;</li>
 *   <li>runs {@code backward} with the case's upstream gradient and compares each input's gradient with
 *       PyTorch's; the op must not write into its inputs or into the upstream gradient;</li>
 *   <li>runs the op again inside {@code NoGrad}: same values, nothing recorded;</li>
 *   <li>runs {@link GradCheck} at the same inputs, for the inputs that take a gradient (skipped when given
 *       {@code null} options).</li>
 * </ol>
 * An entry matches when {@code |actual − expected| <= ABS_TOL + REL_TOL · |expected|}. PyTorch's values are
 * float64 results rounded once to float32, so the tolerances only leave room for Nabla's float32 arithmetic.
 */
public final class OpCheck {
    /** Absolute tolerance of the forward and backward comparisons with PyTorch. */
    public static final double ABS_TOL = 1e-5;
    /** Relative tolerance of the forward and backward comparisons with PyTorch. */
    public static final double REL_TOL = 1e-4;
    /** The finite-difference check every op gets unless its test says otherwise. */
    public static final GradCheck.Options GRAD_CHECK = GradCheck.Options.DEFAULTS;

    /** The fixture files OpCheck reads, in order. */
    public static final List<String> FILES =
            List.of("ops.json", "losses.json", "recurrent_ops.json", "shape_ops.json", "activations.json",
                    "math_ops.json", "conv_ops.json");
    private static final Map<String, Fixtures> FIXTURES = loadAll();

    private OpCheck() {
    }

    /** An op under test: computes the output from the case's inputs, reading extra arguments from the case. */
    @FunctionalInterface
    public interface Op {
        Tensor apply(Tensor[] inputs, Case c);
    }

    /** A fixture case: its inputs and expected values, and the op's extra arguments. */
    public record Case(String name, JsonNode node) {
        /** The name of the op the case exercises, such as {@code "matmul"}. */
        public String op() {
            return node.get("op").asText();
        }

        /** An integer-array argument such as {@code targets} or {@code shape}. */
        public int[] ints(String key) {
            return Fixtures.ints(required(key));
        }

        /** A float argument such as {@code slope}. */
        public float number(String key) {
            return Fixtures.number(required(key));
        }

        /** A tensor argument such as {@code running_mean}, as a fresh tensor that does not require grad. */
        public Tensor tensor(String key) {
            return Fixtures.tensor(required(key));
        }

        /** An integer argument such as {@code dim}. */
        public int integer(String key) {
            return required(key).asInt();
        }

        /** A boolean argument such as {@code log_target}. */
        public boolean bool(String key) {
            return required(key).asBoolean();
        }

        /** A string argument such as {@code reduction}. */
        public String text(String key) {
            return required(key).asText();
        }

        /** A tensor argument that takes no gradient (a class weight, say), or {@code null} when the case has none. */
        public Tensor tensorOrNull(String key) {
            JsonNode v = node.get(key);
            return v == null ? null : Fixtures.tensor(v);
        }

        /** Whether input i takes a gradient: its fixture gradient is not {@code null}. */
        public boolean differentiable(int i) {
            JsonNode g = required("grads").get(i);
            return g != null && !g.isNull();
        }

        /**
         * Fresh copies of the inputs, as leaves; those that are {@link #differentiable differentiable} require grad.
         */
        public Tensor[] inputs() {
            JsonNode in = required("inputs");
            Tensor[] xs = new Tensor[in.size()];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Fixtures.tensor(in.get(i)).requiresGrad(differentiable(i));
            }
            return xs;
        }

        private JsonNode required(String key) {
            JsonNode v = node.get(key);
            if (v == null) {
                throw new IllegalArgumentException("fixture case '" + name + "' has no '" + key + "'");
            }
            return v;
        }
    }

    /** The case named {@code name}, from whichever of {@link #FILES} holds it. */
    public static Case load(String name) {
        for (Fixtures f : FIXTURES.values()) {
            if (f.has(name)) {
                return new Case(name, f.get(name));
            }
        }
        throw new IllegalArgumentException("no fixture case '" + name + "' in " + FILES);
    }

    /** Every case name of one of {@link #FILES}, in file order. */
    public static List<String> names(String file) {
        Fixtures f = FIXTURES.get(file);
        if (f == null) {
            throw new IllegalArgumentException(file + " is not one of OpCheck's fixture files " + FILES);
        }
        List<String> out = new ArrayList<>();
        f.names().forEach(out::add);
        return out;
    }

    /** Every case name of every file of {@link #FILES}. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (String file : FILES) {
            out.addAll(names(file));
        }
        return out;
    }

    private static Map<String, Fixtures> loadAll() {
        Map<String, Fixtures> out = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        for (String file : FILES) {
            Fixtures f = Fixtures.load(file);
            for (String name : f.names()) {
                String other = seen.put(name, file);
                if (other != null) {
                    throw new IllegalStateException("fixture case '" + name + "' is in both " + other + " and " + file
                            + ": OpCheck finds cases by name, so names must be unique");
                }
            }
            out.put(file, f);
        }
        return out;
    }

    /** Checks {@code op} on the named case: forward and backward against PyTorch, then {@link #GRAD_CHECK}. */
    public static void check(String name, Op op) {
        check(name, GRAD_CHECK, op);
    }

    /**
     * As {@link #check(String, Op)} with other finite-difference options; {@code null} skips the finite-difference
     * check (for inputs where float32 cannot resolve a small step, which the caller should say).
     */
    public static void check(String name, GradCheck.Options gradCheck, Op op) {
        Case c = load(name);
        Tensor[] xs = c.inputs();
        Tensor[] before = copies(xs);

        Tensor out = op.apply(xs, c);
        assertClose(Fixtures.tensor(c.node().get("output")), out, name + ": output");
        assertTrue(out.requiresGrad(), name + ": the output of an op on inputs that require grad must require grad");

        Tensor gradOutput = Fixtures.tensor(c.node().get("grad_output"));
        Tensor gradOutputBefore = gradOutput.copy();
        out.backward(gradOutput);
        assertArrayEquals(gradOutputBefore.data(), gradOutput.data(), name + ": backward wrote into the upstream gradient");
        JsonNode grads = c.node().get("grads");
        List<Integer> differentiable = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            assertArrayEquals(before[i].data(), xs[i].data(), name + ": the op changed input " + i);
            if (c.differentiable(i)) {
                differentiable.add(i);
                assertNotNull(xs[i].grad(), name + ": input " + i + " got no gradient");
                assertClose(Fixtures.tensor(grads.get(i)), xs[i].grad(), name + ": gradient of input " + i);
            }
        }
        assertFalse(differentiable.isEmpty(), name + ": the case compares no gradient");

        try (var _ = NoGrad.enter()) {
            Tensor again = op.apply(c.inputs(), c);
            assertFalse(again.requiresGrad(), name + ": under NoGrad the output must not require grad");
            assertNull(again.gradFn(), name + ": under NoGrad nothing may be recorded");
            assertArrayEquals(out.data(), again.data(), name + ": under NoGrad the output differs");
        }

        if (gradCheck != null) {
            GradCheck.Options options = gradCheck.inputs() != null || differentiable.size() == xs.length ? gradCheck
                    : gradCheck.withInputs(differentiable.stream().mapToInt(Integer::intValue).toArray());
            GradCheck.Result result = GradCheck.check(options, in -> op.apply(in, c), c.inputs());
            assertTrue(result.passed(), () -> name + ": " + result);
        }
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and every value within {@link #ABS_TOL}, {@link #REL_TOL}. */
    public static void assertClose(Tensor expected, Tensor actual, String what) {
        assertClose(expected, actual, ABS_TOL, REL_TOL, what);
    }

    /** Fails unless {@code actual} has {@code expected}'s shape and {@code |a − e| <= absTol + relTol·|e|} everywhere. */
    public static void assertClose(Tensor expected, Tensor actual, double absTol, double relTol, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.data();
        float[] a = actual.data();
        int worst = -1;
        double worstExcess = 0;
        int bad = 0;
        for (int i = 0; i < e.length; i++) {
            boolean same = Float.compare(e[i], a[i]) == 0;   // equal, or both NaN, or the same infinity
            double excess = Math.abs((double) a[i] - e[i]) - (absTol + relTol * Math.abs(e[i]));
            if (!same && !(excess <= 0)) {
                bad++;
                if (worst < 0 || !(excess <= worstExcess)) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (bad > 0) {
            fail(String.format(Locale.ROOT, "%s: %d of %d values differ beyond %.0e + %.0e·|expected|; worst at flat "
                    + "index %d: expected %s, got %s%nexpected %s%nactual   %s", what, bad, e.length, absTol, relTol,
                    worst, e[worst], a[worst], expected, actual));
        }
    }

    private static Tensor[] copies(Tensor[] xs) {
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = xs[i].copy();
        }
        return out;
    }
}
