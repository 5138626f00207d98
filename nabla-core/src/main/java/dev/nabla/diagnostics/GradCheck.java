package dev.nabla.diagnostics;

import dev.nabla.autograd.NoGrad;
import dev.nabla.nn.Module;
import dev.nabla.tensor.GradFn;
import dev.nabla.tensor.GradMode;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

/**
 * Checks the gradients autograd computes for a function of tensors against central finite differences.
 *
 * <p><b>The maths.</b> For {@code y = f(x₁, …, xₖ)} of any shape, draw a fixed random upstream gradient r of y's
 * shape (standard normal, from {@link Options#seed()}) and check the scalar {@code L(x) = Σ r ⊙ f(x)} (llm.c's
 * "fake loss"). One backward pass with {@code y.backward(r)} gives the analytic gradient
 * {@code ∂L/∂x = Σ_k r_k ∂y_k/∂x}, a random combination of every row of the Jacobian, so a wrong entry anywhere
 * in the Jacobian shows unless r happens to cancel it. The numeric gradient of each input entry x_j is the
 * central difference {@code (L(x + h⁺e_j) − L(x − h⁻e_j)) / (h⁺ + h⁻)}, whose truncation error is
 * O(h²·|L‴|).
 *
 * <p><b>Precision.</b> f runs in float32, so L can only be trusted to about 1e-7 of the size of its terms, and
 * the difference quotient divides that rounding by 2h: with the default {@code h = 1e-3}
 * ({@link #DEFAULT_EPS}) the rounding noise is about 1e-4 of the output's magnitude, while the truncation error
 * of a smooth op stays near 1e-6. (PyTorch's {@code gradcheck} uses h = 1e-6 in float64; in float32 that step
 * would drown in rounding.) To lose nothing more, everything outside f is done in double: L is summed in
 * double, and h⁺, h⁻ are the steps actually taken, {@code (double) (float) (x + h) − x}, not the requested h,
 * which float32 cannot represent exactly.
 *
 * <p><b>Tolerances.</b> Each entry's error is {@code |a − n| / max(|a|, |n|, absTol / relTol)} for analytic a
 * and numeric n, and passes when it is at most {@code relTol}. That is, large gradients must agree to
 * {@code relTol} relatively and small ones to {@code absTol} absolutely, so an entry whose true gradient is 0
 * does not fail on rounding noise. The defaults {@link #DEFAULT_ABS_TOL} = 1e-3 and {@link #DEFAULT_REL_TOL} =
 * 1e-2 hold for float32 ops on inputs of order 1; a wrong backward (a missing factor, a sign, a transposed
 * product) is off by far more. Sample inputs away from kinks such as ReLU's at 0, where no difference quotient
 * agrees with the one-sided derivative.
 *
 * <p><b>Side effects.</b> None on the caller's tensors: f is evaluated on copies of the inputs (so non-leaf
 * tensors may be passed, and the inputs are never perturbed), and the gradients the analytic pass adds to leaf
 * tensors f captures from outside (parameters, say) are put back to what they were. f must be deterministic:
 * a function that draws random numbers (dropout) must create its generator from a fixed seed inside f.
 * Needs gradient recording, so it fails inside a {@code NoGrad} scope. Costs two evaluations of f per checked
 * entry: check small inputs (tens to hundreds of entries), which exercise the same code as large ones.
 *
 * <pre>{@code
 * GradCheck.Result r = GradCheck.check(in -> Functional.linear(in[0], in[1], in[2]), x, weight, bias);
 * r.requirePassed();   // or inspect r.passed(), r.worst()
 * }</pre>
 */
public final class GradCheck {
    /** The default finite-difference step h: large enough for float32 rounding, small for truncation error. */
    public static final double DEFAULT_EPS = 1e-3;
    /** The default absolute tolerance, which applies to gradients smaller than absTol / relTol = 0.1. */
    public static final double DEFAULT_ABS_TOL = 1e-3;
    /** The default relative tolerance, which applies to gradients larger than 0.1. */
    public static final double DEFAULT_REL_TOL = 1e-2;
    /** The default seed of the random upstream gradient r. */
    public static final long DEFAULT_SEED = 20_240_611L;

    private GradCheck() {
    }

    /**
     * How to check.
     *
     * @param eps    the finite-difference step h, applied to one input entry at a time; positive
     * @param absTol the tolerance for gradients near zero; not negative
     * @param relTol the relative tolerance for larger gradients; positive
     * @param seed   the seed of the random upstream gradient r
     * @param inputs indices of the inputs to check, or {@code null} for every non-null input
     */
    public record Options(double eps, double absTol, double relTol, long seed, List<Integer> inputs) {
        /** The defaults: {@link #DEFAULT_EPS}, {@link #DEFAULT_ABS_TOL}, {@link #DEFAULT_REL_TOL}, every input. */
        public static final Options DEFAULTS = new Options(DEFAULT_EPS, DEFAULT_ABS_TOL, DEFAULT_REL_TOL,
                DEFAULT_SEED, null);

        public Options {
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("GradCheck eps must be a positive step, got " + eps);
            }
            if (!(absTol >= 0) || !(relTol > 0)) {
                throw new IllegalArgumentException("GradCheck tolerances must be absTol >= 0 and relTol > 0, got absTol "
                        + absTol + " and relTol " + relTol);
            }
            if (inputs != null) {
                inputs = List.copyOf(inputs);
                for (int i : inputs) {
                    if (i < 0) {
                        throw new IllegalArgumentException("GradCheck input index " + i + " is negative");
                    }
                }
            }
        }

        /** These options with another step h. */
        public Options withEps(double newEps) {
            return new Options(newEps, absTol, relTol, seed, inputs);
        }

        /** These options with other tolerances. */
        public Options withTolerances(double newAbsTol, double newRelTol) {
            return new Options(eps, newAbsTol, newRelTol, seed, inputs);
        }

        /** These options with another seed for the upstream gradient. */
        public Options withSeed(long newSeed) {
            return new Options(eps, absTol, relTol, newSeed, inputs);
        }

        /** These options, checking only the inputs at these indices (the others are held fixed). */
        public Options withInputs(int... indices) {
            return new Options(eps, absTol, relTol, seed, Arrays.stream(indices).boxed().toList());
        }

        boolean checks(int input) {
            return inputs == null || inputs.contains(input);
        }
    }

    /**
     * One checked entry of one input.
     *
     * @param input    which input (index into the arguments of {@link #check})
     * @param index    the flat (row-major) index within that input
     * @param shape    that input's shape
     * @param analytic the gradient autograd computed, ∂L/∂x
     * @param numeric  the central-difference estimate
     * @param error    {@code |a − n| / max(|a|, |n|, absTol / relTol)}; infinite when either is not finite
     */
    public record Entry(int input, int index, Shape shape, double analytic, double numeric, double error) {
        /** The entry's position as a multi-dimensional index, such as {@code [2, 7]}. */
        public int[] position() {
            return shape.position(index);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "input %d%s (flat index %d of shape %s): analytic %.6g, numeric %.6g,"
                    + " error %.3g", input, Arrays.toString(position()), index, shape, analytic, numeric, error);
        }
    }

    /**
     * The outcome.
     *
     * @param passed   true when every checked entry's error is at most {@code options.relTol()}
     * @param worst    the entry with the largest error, or {@code null} when there was nothing to check
     * @param checked  how many entries were checked
     * @param failed   how many of them exceeded the tolerance
     * @param options  the options used
     */
    public record Result(boolean passed, Entry worst, int checked, int failed, Options options) {
        /** The largest error over the checked entries (0 when none were checked). */
        public double worstError() {
            return worst == null ? 0 : worst.error();
        }

        /**
         * Returns this result when it passed.
         *
         * @throws IllegalStateException with {@link #toString()} as its message when it did not
         */
        public Result requirePassed() {
            if (!passed) {
                throw new IllegalStateException(toString());
            }
            return this;
        }

        /** For example {@code GradCheck FAILED: 3 of 60 entries off; worst input 1[2, 0] …}. */
        @Override
        public String toString() {
            String tolerances = String.format(Locale.ROOT, "(eps %.1e, absTol %.1e, relTol %.1e, seed %d)",
                    options.eps(), options.absTol(), options.relTol(), options.seed());
            if (worst == null) {
                return "GradCheck passed: nothing to check " + tolerances;
            }
            if (passed) {
                return String.format(Locale.ROOT, "GradCheck passed: %d entries, worst error %.3g <= %.1e at %s %s",
                        checked, worst.error(), options.relTol(), worst, tolerances);
            }
            return String.format(Locale.ROOT, "GradCheck FAILED: %d of %d entries have error > %.1e; worst at %s %s."
                    + " The backward pass disagrees with the finite differences of the forward pass.",
                    failed, checked, options.relTol(), worst, tolerances);
        }
    }

    /** Checks f at {@code inputs} with {@link Options#DEFAULTS}. */
    public static Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        return check(Options.DEFAULTS, f, inputs);
    }

    /**
     * Checks the gradient of f with respect to each selected input, at {@code inputs}.
     *
     * @param f      a deterministic function of the inputs, in the order given; any output shape
     * @param inputs the point to check at; not modified. {@code null} entries are passed on as null and skipped
     * @throws IllegalStateException    inside a {@code NoGrad} scope
     * @throws IllegalArgumentException when f gives different outputs for the same inputs, or a selected input
     *                                  index is out of range
     */
    public static Result check(Options options, Function<Tensor[], Tensor> f, Tensor... inputs) {
        if (!GradMode.isEnabled()) {
            throw new IllegalStateException("GradCheck needs gradient recording, but it was called inside a NoGrad "
                    + "scope: call it outside the scope");
        }
        if (options.inputs() != null) {
            for (int i : options.inputs()) {
                if (i >= inputs.length) {
                    throw new IllegalArgumentException("GradCheck was asked to check input " + i + " but f has "
                            + inputs.length + " inputs");
                }
            }
        }
        Tensor[] xs = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                xs[i] = inputs[i].copy().requiresGrad(options.checks(i));
            }
        }

        // Analytic: one backward pass of L = Σ r ⊙ f(x), that is y.backward(r).
        Tensor y = f.apply(xs);
        float[] r = upstream(options, y);
        double l0 = fakeLoss(y, r);
        double[][] analytic = analyticGradients(y, r, xs, options);

        // Numeric: central differences on the copies, each entry restored bit for bit afterwards.
        double l0Again;
        try (var _ = NoGrad.enter()) {
            l0Again = fakeLoss(f.apply(xs), r);
        }
        if (Double.doubleToLongBits(l0) != Double.doubleToLongBits(l0Again)) {
            throw new IllegalArgumentException("GradCheck: f is not deterministic, two evaluations at the same inputs "
                    + "gave L = " + l0 + " and " + l0Again + ". Create any random generator (dropout's, say) "
                    + "inside f from a fixed seed, so each evaluation draws the same numbers.");
        }
        return compare(options, xs, analytic, () -> fakeLoss(f.apply(xs), r));
    }

    /**
     * Checks a module's gradients with respect to its input and to every parameter, at its current parameter
     * values: the same test as {@link #check}, with the parameters perturbed in place (and restored bit for bit).
     * In the result, input 0 is {@code input} and input {@code 1 + i} is the i-th entry of
     * {@code module.parameters()} (the order of {@code namedParameters()}). The module's parameter gradients are
     * left as they were, and so are its buffers, which a layer such as batch norm in training mode updates on every
     * one of the check's forward passes. Put the module in evaluation mode first if it draws random numbers.
     */
    public static Result checkModule(Options options, Module module, Tensor input) {
        if (!GradMode.isEnabled()) {
            throw new IllegalStateException("GradCheck needs gradient recording, but it was called inside a NoGrad "
                    + "scope: call it outside the scope");
        }
        List<Tensor> params = module.parameters();
        Tensor[] targets = new Tensor[1 + params.size()];
        targets[0] = input.copy().requiresGrad(options.checks(0));
        for (int i = 0; i < params.size(); i++) {
            targets[1 + i] = params.get(i);
        }
        List<Tensor> buffers = List.copyOf(module.namedBuffers().values());
        List<float[]> savedBuffers = new ArrayList<>();
        for (Tensor b : buffers) {
            savedBuffers.add(b.toArray());
        }
        List<float[]> savedGrads = new ArrayList<>();
        for (Tensor p : params) {
            savedGrads.add(p.grad() == null ? null : p.grad().toArray());
            p.setGrad(null);
        }
        try {
            Tensor y = module.forward(targets[0]);
            float[] r = upstream(options, y);
            double[][] analytic = new double[targets.length][];
            y.backward(Tensor.wrap(r.clone(), y.shape()));
            for (int i = 0; i < targets.length; i++) {
                analytic[i] = new double[targets[i].size()];
                Tensor g = targets[i].grad();
                if (g != null && options.checks(i)) {
                    for (int j = 0; j < analytic[i].length; j++) {
                        analytic[i][j] = g.data()[j];
                    }
                }
            }
            return compare(options, targets, analytic, () -> fakeLoss(module.forward(targets[0]), r));
        } finally {
            for (int i = 0; i < buffers.size(); i++) {
                System.arraycopy(savedBuffers.get(i), 0, buffers.get(i).data(), 0, buffers.get(i).size());
            }
            for (int i = 0; i < params.size(); i++) {
                float[] before = savedGrads.get(i);
                params.get(i).setGrad(before == null ? null : Tensor.wrap(before, params.get(i).shape()));
            }
        }
    }

    /** {@link #checkModule(Options, Module, Tensor)} with {@link Options#DEFAULTS}. */
    public static Result checkModule(Module module, Tensor input) {
        return checkModule(Options.DEFAULTS, module, input);
    }

    private static float[] upstream(Options options, Tensor y) {
        Rng rng = new Rng(options.seed());
        float[] r = new float[y.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = rng.nextGaussian();
        }
        return r;
    }

    /** Central differences of {@code loss} for every checked entry of {@code xs}, perturbed in place and restored. */
    private static Result compare(Options options, Tensor[] xs, double[][] analytic, DoubleSupplier loss) {
        double floor = options.absTol() / options.relTol();
        Entry worst = null;
        int checked = 0;
        int failed = 0;
        try (var _ = NoGrad.enter()) {
            for (int i = 0; i < xs.length; i++) {
                if (xs[i] == null || !options.checks(i)) {
                    continue;
                }
                float[] x = xs[i].data();
                for (int j = 0; j < x.length; j++) {
                    float original = x[j];
                    float plus = (float) (original + options.eps());
                    float minus = (float) (original - options.eps());
                    if (plus == original) {
                        plus = Math.nextUp(original);   // h below half an ulp of x: take the smallest step there is
                    }
                    if (minus == original) {
                        minus = Math.nextDown(original);
                    }
                    x[j] = plus;
                    double lPlus = loss.getAsDouble();
                    x[j] = minus;
                    double lMinus = loss.getAsDouble();
                    x[j] = original;
                    double numeric = (lPlus - lMinus) / ((double) plus - (double) minus);
                    double a = analytic[i][j];
                    double error = error(a, numeric, floor);
                    checked++;
                    if (!(error <= options.relTol())) {
                        failed++;
                    }
                    if (worst == null || error > worst.error()) {
                        worst = new Entry(i, j, xs[i].shape(), a, numeric, error);
                    }
                }
            }
        }
        return new Result(failed == 0, worst, checked, failed, options);
    }

    /** {@code |a − n| / max(|a|, |n|, floor)}; 0 when equal, +∞ when either is NaN or infinite and they differ. */
    static double error(double a, double n, double floor) {
        if (a == n) {
            return 0;
        }
        if (!Double.isFinite(a) || !Double.isFinite(n)) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.abs(a - n) / Math.max(Math.max(Math.abs(a), Math.abs(n)), floor);
    }

    private static double fakeLoss(Tensor y, float[] r) {
        if (y.size() != r.length) {
            throw new IllegalArgumentException("GradCheck: f returned " + y.size() + " values (shape " + y.shape()
                    + ") for perturbed inputs but " + r.length + " at the original point: its output shape must not "
                    + "depend on the input values");
        }
        float[] v = y.data();
        double sum = 0;
        for (int k = 0; k < v.length; k++) {
            sum += (double) r[k] * v[k];
        }
        return sum;
    }

    /** ∂L/∂x for each checked input (zeros where the graph does not reach it), leaving no gradient behind. */
    private static double[][] analyticGradients(Tensor y, float[] r, Tensor[] xs, Options options) {
        double[][] grads = new double[xs.length][];
        for (int i = 0; i < xs.length; i++) {
            grads[i] = xs[i] == null ? new double[0] : new double[xs[i].size()];
        }
        if (!y.requiresGrad()) {
            return grads;   // f did not use any checked input through a recorded op: the analytic gradient is 0
        }
        Map<Tensor, Boolean> own = new IdentityHashMap<>();
        for (Tensor x : xs) {
            if (x != null) {
                own.put(x, Boolean.TRUE);
            }
        }
        List<Tensor> foreign = new ArrayList<>();
        List<float[]> saved = new ArrayList<>();
        for (Tensor leaf : leaves(y)) {
            if (!own.containsKey(leaf)) {
                foreign.add(leaf);
                saved.add(leaf.grad() == null ? null : leaf.grad().toArray());
            }
        }
        try {
            y.backward(Tensor.wrap(r.clone(), y.shape()));
            for (int i = 0; i < xs.length; i++) {
                if (xs[i] != null && options.checks(i) && xs[i].grad() != null) {
                    float[] g = xs[i].grad().data();
                    for (int j = 0; j < g.length; j++) {
                        grads[i][j] = g[j];
                    }
                }
            }
        } finally {
            for (int k = 0; k < foreign.size(); k++) {
                Tensor leaf = foreign.get(k);
                float[] before = saved.get(k);
                if (before == null) {
                    leaf.setGrad(null);
                } else {
                    System.arraycopy(before, 0, leaf.grad().data(), 0, before.length);
                }
            }
        }
        return grads;
    }

    /** The leaf tensors that require grad and that y's graph reaches. */
    private static List<Tensor> leaves(Tensor y) {
        List<Tensor> out = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Tensor> todo = new ArrayDeque<>();
        todo.push(y);
        seen.put(y, Boolean.TRUE);
        while (!todo.isEmpty()) {
            Tensor t = todo.pop();
            GradFn fn = t.gradFn();
            if (fn == null) {
                if (t.requiresGrad()) {
                    out.add(t);
                }
                continue;
            }
            for (Tensor in : fn.inputs()) {
                if (in != null && in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) {
                    todo.push(in);
                }
            }
        }
        return out;
    }
}
