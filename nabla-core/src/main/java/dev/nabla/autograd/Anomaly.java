package dev.nabla.autograd;

import dev.nabla.tensor.Tensor;
import java.util.Locale;

/**
 * Anomaly mode: every op's output and every gradient a backward pass computes is checked for NaN and ±∞, and the
 * first one found stops the run with an {@link AnomalyException} that names the op, the layer it ran in, and the
 * shapes and statistics of what it read — so a loss that turned NaN is traced to the op where it began, with the
 * cause spelled out (a non-finite parameter or input, or an op that overflowed on finite values). PyTorch's
 * {@code torch.autograd.detect_anomaly} does the same for the backward pass.
 *
 * <pre>{@code
 * Anomaly.enable();            // or: try (var scope = Anomaly.detect()) { … }
 * loss.backward();             // throws AnomalyException at the first non-finite value
 * }</pre>
 *
 * <p>Off by default, and then free: each op reads one flag. On, every op scans its output (and its gradients in the
 * backward pass) once, and notes where it was called from, which slows a training step several times: turn it on to
 * find a NaN, not to train. The switch is global, for every thread, as PyTorch's.
 */
public final class Anomaly implements AutoCloseable {
    private static volatile boolean enabled;

    private final boolean before;

    private Anomaly(boolean before) {
        this.before = before;
    }

    /** Turns anomaly mode on, for every thread, until {@link #disable()}. */
    public static void enable() {
        enabled = true;
    }

    /** Turns anomaly mode off. */
    public static void disable() {
        enabled = false;
    }

    /** Whether ops check their outputs and gradients now. */
    public static boolean isEnabled() {
        return enabled;
    }

    /** Turns anomaly mode on until the returned scope is closed, which puts back the setting before it. */
    public static Anomaly detect() {
        Anomaly scope = new Anomaly(enabled);
        enabled = true;
        return scope;
    }

    @Override
    public void close() {
        enabled = before;
    }

    /**
     * Where an op was applied: the first frame in a layer ({@code dev.nabla.nn}) or, outside layers, the first
     * frame outside Nabla's ops, autograd and tensors, e.g. {@code Linear.forward(Linear.java:88)}.
     */
    static String callSite() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> !f.getClassName().startsWith("dev.nabla.ops.")
                        && f.getDeclaringClass() != Function.class && f.getDeclaringClass() != Anomaly.class
                        && !f.getClassName().startsWith("dev.nabla.tensor."))
                .findFirst()
                .map(f -> f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName()
                        + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("an unknown caller"));
    }

    /** Throws when {@code out}, the forward result of {@code fn} on {@code inputs}, holds a NaN or ±∞. */
    static void checkForward(Function fn, Tensor[] inputs, Tensor out, String callSite) {
        Stats result = Stats.of(out);
        if (result.finite()) {
            return;
        }
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT, "%s's forward pass, called from %s, gave %s "
                + "in its output %s.", fn.name(), callSite, result.nonFinite(), out.shape()));
        int culprit = firstNonFinite(inputs);
        if (culprit >= 0) {
            Tensor in = inputs[culprit];
            m.append(" The cause is its input ").append(culprit).append(", which held ")
                    .append(Stats.of(in).nonFinite()).append(" already: ").append(in.isLeaf()
                            ? "it is a leaf, a parameter or the data. A parameter turns non-finite when an optimizer "
                            + "step made it so (lower the learning rate, clip the gradients); data that hold NaN or "
                            + "∞ must be cleaned before training."
                            : "it came from " + in.gradFn().name() + " before anomaly mode was on.");
        } else {
            m.append(" Its inputs are all finite, so the op itself overflowed or was undefined there: float32 ends "
                    + "at ±3.4e38, exp overflows above 88.7, log is −∞ at 0 and NaN below, sqrt is NaN below 0, "
                    + "0/0 and ∞−∞ are NaN.");
        }
        appendInputs(m, inputs);
        throw new AnomalyException(fn.name(), callSite, m.toString());
    }

    /**
     * Throws when a gradient {@code fn}'s backward pass returned ({@code grads}), or wrote straight into a leaf's
     * buffer, holds a NaN or ±∞.
     */
    static void checkBackward(Function fn, Tensor[] inputs, Tensor gradOutput, Tensor[] grads, String callSite) {
        for (int k = 0; k < grads.length; k++) {
            Tensor g = grads[k] != null ? grads[k]
                    : fn.isLeafInput(k) ? inputs[k].grad() : null;
            if (g == null) {
                continue;
            }
            Stats stats = Stats.of(g);
            if (stats.finite()) {
                continue;
            }
            StringBuilder m = new StringBuilder(String.format(Locale.ROOT, "%s's backward pass (its forward was called "
                    + "from %s) gave %s in the gradient of its input %d %s.", fn.name(), callSite, stats.nonFinite(),
                    k, g.shape()));
            Stats upstream = Stats.of(gradOutput);
            int culprit = firstNonFinite(inputs);
            if (!upstream.finite()) {
                m.append(" The cause is the gradient of its output, which held ").append(upstream.nonFinite())
                        .append(" already (the gradient given to backward(gradient), or one computed before anomaly "
                                + "mode was on).");
            } else if (culprit >= 0) {
                m.append(" The cause is its input ").append(culprit).append(", non-finite since the "
                        + "forward pass.");
            } else {
                m.append(" The gradient of its output and its inputs are finite, so the derivative itself overflowed "
                        + "or was undefined there (as 1/x at 0, or the derivative of sqrt at 0), or the gradient "
                        + "of its output was too large: clip the gradients, or lower the learning rate.");
            }
            m.append(String.format(Locale.ROOT, "%n  gradient of the output %s: %s", gradOutput.shape(), upstream));
            appendInputs(m, inputs);
            throw new AnomalyException(fn.name(), callSite, m.toString());
        }
    }

    private static int firstNonFinite(Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && !Stats.of(inputs[i]).finite()) {
                return i;
            }
        }
        return -1;
    }

    private static void appendInputs(StringBuilder m, Tensor[] inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                m.append(String.format(Locale.ROOT, "%n  input %d %s: %s", i, inputs[i].shape(), Stats.of(inputs[i])));
            }
        }
    }

    /** The minimum, maximum and mean of a tensor's finite values, and how many are NaN and ±∞. */
    record Stats(double min, double max, double mean, int nan, int infinite, int size) {
        static Stats of(Tensor t) {
            float[] v = t.data();
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int nan = 0;
            int infinite = 0;
            for (float x : v) {
                if (Float.isNaN(x)) {
                    nan++;
                } else if (Float.isInfinite(x)) {
                    infinite++;
                } else {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                    sum += x;
                }
            }
            int finite = v.length - nan - infinite;
            return new Stats(min, max, finite == 0 ? Double.NaN : sum / finite, nan, infinite, v.length);
        }

        boolean finite() {
            return nan == 0 && infinite == 0;
        }

        /** E.g. {@code 3 NaN and 1 ±∞ of 64 values}. */
        String nonFinite() {
            return nan + " NaN and " + infinite + " ±∞ of " + size + " values";
        }

        @Override
        public String toString() {
            if (nan + infinite == size) {
                return "no finite value; " + nonFinite();
            }
            return String.format(Locale.ROOT, "min %.4g, max %.4g, mean %.4g; %s", min, max, mean, nonFinite());
        }
    }
}
