package dev.nabla.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.nn.Softmax;
import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Tensor;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla softmax}: softmax, cross-entropy, its gradient and the softmax Jacobian on numbers the user types,
 * each printed with what it means. Every value comes from the library: the probabilities and log-probabilities
 * from {@link Functional#softmax}/{@link Functional#logSoftmax}, the loss from {@link Functional#crossEntropy}, the
 * gradient from {@code backward()} through the temperature's scaling, the Jacobian from {@link Softmax#jacobian}.
 *
 * <p>All derivatives (gradient and Jacobian) are with respect to the logits as typed: with a temperature T the
 * softmax sees z/T, so both carry the chain rule's factor 1/T.
 */
@Command(name = "softmax", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Softmax and cross-entropy on your own numbers: probabilities, log-probabilities, the loss, "
                + "its gradient and the softmax Jacobian, each with a line saying what it means.", "",
            "Example: nabla softmax --logits 2.0,1.0,0.1 --target 0 --jacobian"})
public class SoftmaxCommand implements Callable<Integer> {
    /** Significant digits printed for each value. */
    static final int DIGITS = 5;
    /** Width of the explanations' lines. */
    private static final int LINE = 100;
    /** Where the values start, after their label. */
    private static final String INDENT = " ".repeat(20);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--logits", required = true, paramLabel = "Z1,Z2,...",
            description = "The scores (logits), comma-separated, e.g. 2.0,1.0,0.1. -inf marks a class that can never "
                    + "be chosen (probability 0).")
    String logits;

    @Option(names = "--target", paramLabel = "CLASS",
            description = "The correct class, an index from 0. With it the loss, the target distribution and the "
                    + "gradient are printed too.")
    Integer target;

    @Option(names = "--temperature", paramLabel = "T", defaultValue = "1",
            description = "Divide the logits by T > 0 before the softmax: T > 1 flattens the probabilities, "
                    + "T < 1 sharpens them. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--label-smoothing", paramLabel = "EPS", defaultValue = "0",
            description = "Label smoothing ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C. Needs --target. "
                    + "Default: ${DEFAULT-VALUE}.")
    double labelSmoothing;

    @Option(names = "--jacobian", description = "Also print the softmax Jacobian ∂p_i/∂z_j (always in --json).")
    boolean jacobian;

    @Option(names = "--json", description = "Print one line of JSON instead of the explanation: logits, temperature, "
            + "label_smoothing, target, target_distribution, probabilities, log_probabilities, loss, grad_logits, "
            + "jacobian (null where there is no target; -inf as the string \"-Infinity\").")
    boolean json;

    /** Everything the command computes; the fields that need a target are null without one. */
    record Result(float[] logits, float temperature, float labelSmoothing, Integer target, float[] targetDistribution,
                  float[] probabilities, float[] logProbabilities, Float loss, float[] gradLogits, float[][] jacobian) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Result r = compute(parseLogits());
        if (json) {
            out.println(new ObjectMapper().writeValueAsString(json(r)));
        } else {
            print(out, r);
        }
        out.flush();
        return 0;
    }

    /** Checks the options against the logits and computes every value through the library. */
    Result compute(float[] z) {
        int classes = z.length;
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw bad("--temperature must be a positive number, got " + temperature
                    + ": T divides the logits, 1 leaves them as they are");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw bad("--label-smoothing must be in [0, 1], got " + labelSmoothing);
        }
        if (target == null && labelSmoothing != 0) {
            throw bad("--label-smoothing smooths the target: give --target too");
        }
        if (target != null && (target < 0 || target >= classes)) {
            throw bad("--target " + target + " is outside the classes 0.." + (classes - 1) + " of the " + classes
                    + " logits: the target is a class index counted from 0");
        }
        if (target != null && z[target] == Float.NEGATIVE_INFINITY) {
            throw bad("--target " + target + " has logit -inf, probability 0: its loss would be infinite");
        }
        float t = (float) temperature;
        float eps = (float) labelSmoothing;

        Tensor leaf = Tensor.of(z, 1, classes).requiresGrad(true);
        // NOTE: the scaling is an op of the graph, so backward() brings the gradient to the logits as typed
        Tensor scaled = t == 1f ? leaf : Functional.mul(leaf, Tensor.full(1f / t, 1, classes));
        for (int c = 0; c < classes; c++) {
            float v = scaled.data()[c];
            if (Float.isNaN(v) || (Float.isInfinite(v) && z[c] != Float.NEGATIVE_INFINITY)) {
                throw bad("--temperature " + temperature + " is too small: logit " + brief(z[c]) + " / T is "
                        + "beyond float32's range (±3.4e38)");
            }
        }
        float[] p = Functional.softmax(scaled, -1).detach().toArray();
        float[] logp = Functional.logSoftmax(scaled, -1).detach().toArray();

        float[][] jac = matrix(Softmax.jacobian(Tensor.of(p)), classes, 1f / t);
        if (target == null) {
            return new Result(z, t, eps, null, null, p, logp, null, null, jac);
        }
        Tensor loss = Functional.crossEntropy(scaled, new int[] {target}, null, Functional.DEFAULT_IGNORE_INDEX, eps,
                Reduction.MEAN);
        loss.backward();
        float[] q = new float[classes];
        for (int c = 0; c < classes; c++) {
            q[c] = (c == target ? 1f - eps : 0f) + eps / classes;
        }
        return new Result(z, t, eps, target, q, p, logp, loss.item(), leaf.grad().toArray(), jac);
    }

    /** The {@code [C, C]} tensor as rows, each value times {@code scale}. */
    private static float[][] matrix(Tensor m, int classes, float scale) {
        float[][] rows = new float[classes][classes];
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                rows[i][j] = m.get(i, j) * scale + 0f;    // + 0 turns −0 (0·(0 − p)) into 0
            }
        }
        return rows;
    }

    /** Parses {@code --logits}: finite float32 numbers or -inf, at least one finite. */
    float[] parseLogits() {
        String[] parts = logits.split(",", -1);
        if (logits.isBlank()) {
            throw bad("--logits is empty: give the scores, comma-separated, e.g. --logits 2.0,1.0,0.1");
        }
        float[] z = new float[parts.length];
        boolean anyFinite = false;
        for (int i = 0; i < parts.length; i++) {
            String s = parts[i].strip();
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.equals("-inf") || lower.equals("-infinity")) {
                z[i] = Float.NEGATIVE_INFINITY;
                continue;
            }
            if (s.isEmpty()) {
                throw bad("--logits '" + logits + "' has an empty entry at position " + i
                        + ": write numbers separated by single commas, e.g. --logits 2.0,1.0,0.1");
            }
            double v;
            if (lower.equals("nan")) {
                v = Double.NaN;
            } else if (lower.equals("inf") || lower.equals("+inf")) {
                v = Double.POSITIVE_INFINITY;
            } else {
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw bad("--logits: '" + s + "' is not a number: write the scores comma-separated, e.g. "
                            + "--logits 2.0,1.0,0.1");
                }
            }
            if (Double.isNaN(v)) {
                throw bad("--logits: entry " + i + " is NaN: every score must be a number (use -inf to mask a class)");
            }
            if (Double.isInfinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                throw bad("--logits: entry " + i + " ('" + s + "') is " + (v > 0 ? "+" : "-") + "infinite or beyond "
                        + "float32's range (±3.4e38): give a finite score, or -inf to mask a class");
            }
            z[i] = (float) v;
            anyFinite = true;
        }
        if (!anyFinite) {
            throw bad("--logits: every score is -inf, so no class can have any probability: give at least one "
                    + "finite score");
        }
        return z;
    }

    private void print(PrintWriter out, Result r) {
        float t = r.temperature();
        boolean tempered = t != 1f;
        Column col = new Column(r.logits(), r.probabilities(), r.logProbabilities(), r.targetDistribution(),
                r.gradLogits());
        out.println(label("logits z") + col.row(r.logits()));
        if (tempered) {
            explain(out, "divided by the temperature T = " + brief(t) + " before the softmax: "
                    + (t > 1 ? "T > 1 flattens the probabilities" : "T < 1 sharpens the probabilities"));
        }
        out.println(label("probabilities p") + col.row(r.probabilities()));
        explain(out, "softmax turns scores into probabilities: p_i = e^z_i / Σ_j e^z_j"
                + (tempered ? " (of z/T)" : "") + ", computed after subtracting the largest score so that no "
                + "exponential overflows; they sum to 1");
        out.println(label("log-probabilities") + col.row(r.logProbabilities()));
        explain(out, "log p_i = z_i − max − log Σ_j e^(z_j − max), computed directly rather than as "
                + "log(p)" + (tempered ? " (of z/T)" : "") + ", so a tiny probability keeps its precision instead "
                + "of becoming log 0 = −∞");
        if (r.target() != null) {
            int k = r.target();
            float eps = r.labelSmoothing();
            out.println(label("target t") + col.row(r.targetDistribution()));
            explain(out, (eps == 0f ? "one-hot: all the probability on class " + k
                    : "label smoothing ε = " + brief(eps) + ": (1 − ε)·onehot(" + k + ") + ε/C, so "
                    + number(r.targetDistribution()[k]) + " on class " + k + " and "
                    + number(eps / r.logits().length) + " on each other class"));
            out.println(label("loss L") + col.row(new float[] {r.loss()}));
            explain(out, (eps == 0f
                    ? "cross-entropy: the loss is −log p[target] = −log " + number(r.probabilities()[k])
                        + ", 0 when the target gets probability 1 and growing without bound as it goes to 0"
                    : "cross-entropy −Σ_i t_i log p_i: the log-probabilities weighted by the smoothed target"
                        + (r.loss() == Float.POSITIVE_INFINITY ? "; infinite because smoothing gives some of the "
                        + "target to a class whose logit is -inf (probability 0)" : "")));
            out.println(label("gradient ∂L/∂z") + col.row(r.gradLogits()));
            explain(out, "the gradient of the loss with respect to each logit is "
                    + (tempered ? "(p − t)/T" : "p − t") + ": push up the target, push down the rest in "
                    + "proportion to their probability; the entries sum to 0"
                    + (tempered ? "; /T because the softmax saw z/T (the chain rule)" : ""));
        }
        if (jacobian) {
            float[][] j = r.jacobian();
            Column jc = new Column(j);
            out.println("jacobian ∂p_i/∂z_j (row i, column j)");
            for (float[] row : j) {
                out.println(INDENT + jc.row(row));
            }
            explain(out, "∂p_i/∂z_j = p_i(δ_ij − p_j)" + (tempered ? " / T" : "") + ": raising score j "
                    + "raises its own probability (diagonal, positive) and takes from the others (negative) in "
                    + "proportion to theirs; symmetric, and each row sums to 0 because adding the same amount to "
                    + "every score changes nothing");
        }
    }

    private static String label(String name) {
        return name + " ".repeat(Math.max(1, INDENT.length() - name.length()));
    }

    /** One explanation, indented under the values and wrapped at {@value #LINE} columns. */
    private static void explain(PrintWriter out, String text) {
        StringBuilder line = new StringBuilder(INDENT);
        for (String word : text.split(" ")) {
            if (line.length() > INDENT.length() && line.length() + 1 + word.length() > LINE) {
                out.println(line);
                line = new StringBuilder(INDENT);
            }
            if (line.length() > INDENT.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        out.println(line);
    }

    private static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("logits", r.logits());
        m.put("temperature", r.temperature());
        m.put("label_smoothing", r.labelSmoothing());
        m.put("target", r.target());
        m.put("target_distribution", r.targetDistribution());
        m.put("probabilities", r.probabilities());
        m.put("log_probabilities", r.logProbabilities());
        m.put("loss", r.loss());
        m.put("grad_logits", r.gradLogits());
        m.put("jacobian", r.jacobian());
        return m;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * {@code v} with {@value #DIGITS} significant digits, trailing zeros kept so that every value shows as many: plain
     * between 1e-4 and 1e6, scientific outside
     * ({@code 3.7201e-44}), {@code 0}, {@code -inf} and {@code inf} as such.
     */
    static String number(float v) {
        if (v == 0f) {
            return "0";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (Float.isNaN(v)) {
            return "nan";
        }
        BigDecimal d = new BigDecimal(Float.toString(v)).round(new MathContext(DIGITS));
        if (d.precision() < DIGITS) {
            d = d.setScale(d.scale() + DIGITS - d.precision());    // 2.0 → 2.0000: the same digits everywhere
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) {
            return d.toPlainString();
        }
        return String.format(Locale.ROOT, "%." + (DIGITS - 1) + "e", d.doubleValue());
    }

    /** {@code v} as {@link #number} gives it, without trailing zeros: for values in sentences ("T = 2"). */
    static String brief(float v) {
        String s = number(v);
        if (!s.contains(".") || s.contains("e")) {
            return s;
        }
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    /** Numbers aligned on their decimal points across every row given, two spaces between columns. */
    private static final class Column {
        private int left;
        private int right;

        Column(float[]... rows) {
            for (float[] row : rows) {
                if (row == null) {
                    continue;
                }
                for (float v : row) {
                    String s = number(v);
                    int dot = dot(s);
                    left = Math.max(left, dot);
                    right = Math.max(right, s.length() - dot);
                }
            }
        }

        String row(float[] values) {
            List<String> cells = new ArrayList<>();
            for (float v : values) {
                String s = number(v);
                int dot = dot(s);
                cells.add(" ".repeat(left - dot) + s + " ".repeat(right - (s.length() - dot)));
            }
            return String.join("  ", cells).stripTrailing();
        }

        /** Where the integer part ends: at the '.', or the 'e', or the end. */
        private static int dot(String s) {
            int i = s.indexOf('.');
            if (i < 0) {
                i = s.indexOf('e');
            }
            return i < 0 ? s.length() : i;
        }
    }
}
