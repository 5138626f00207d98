package dev.nabla.diagnostics;

import static dev.nabla.tensor.Numbers.sci;

import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords.Phase;
import dev.nabla.ops.Activation;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The sentences of {@link Diagnosis}: evidence, reasons and fixes, with the figures that explain them worked out
 * from the records.
 *
 * <p><b>Note [weight gain].</b> Backward through a Linear layer, δ_in = Wᵀ·δ_out. For a gradient δ_out with
 * independent entries, E‖Wᵀδ‖² = ‖W‖_F²·‖δ‖²/rows, so the layer scales the gradient's size by about
 * g = ‖W‖_F/√rows. PyTorch's default init U(±1/√fan_in) gives g = √(1/3) ≈ 0.58 on a square layer, He init
 * N(0, 2/fan_in) gives √2, and N(0, 1) on 256 inputs gives 16. The activation multiplies by its derivative on top:
 * at most 1/4 for sigmoid, at most 1 for tanh, 1 on the active half of ReLU units (√(1/2) in size on average).
 */
final class Explain {
    static final String EXPLODING_FIX = "Clip the gradient norm (e.g. to 1), lower the learning rate, and initialise "
            + "with He or Xavier scaling instead of large weights; BatchNorm also keeps each layer's scale in check.";
    static final String SATURATED_FIX = "Start from smaller weights (Xavier initialisation), normalise the inputs, put "
            + "BatchNorm before the activation, or use ReLU.";
    static final String DEAD_REASON = "A ReLU unit that outputs 0 for every sample passes no gradient, so its weights "
            + "stop changing and it may never come back; large steps or a negative bias push units there.";
    static final String DEAD_FIX = "Lower the learning rate, use He initialisation, add BatchNorm before the ReLU, or "
            + "use LeakyReLU, whose negative side keeps a small gradient.";
    static final String NAN_FIX = "Lower the learning rate and clip the gradient norm; check the inputs for NaN; look "
            + "for a log or division of 0 in a custom loss.";

    private Explain() {
    }

    static String name(Activation kind) {
        return switch (kind) {
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case RELU -> "ReLU";
            case LEAKY_RELU -> "leaky ReLU";
        };
    }

    private static long count(MonitorRecords r, Activation kind) {
        return r.activations().values().stream().filter(k -> k == kind).count();
    }

    /** The median weight gain ‖W‖_F/√rows over the weights before the output layer, at the first recorded step. */
    static double weightGain(MonitorRecords r, List<Parameter> weights) {
        if (r.gradients().isEmpty()) {
            return Double.NaN;
        }
        long first = r.gradients().get(0).step();
        List<Parameter> hidden = weights.size() > 1 ? weights.subList(0, weights.size() - 1) : weights;
        double[] gains = hidden.stream().mapToDouble(w -> r.gradients().stream()
                .filter(g -> g.step() == first && g.name().equals(w.name())).findFirst()
                .map(g -> g.paramNorm() / Math.sqrt(w.rows())).orElse(Double.NaN)).sorted().toArray();
        return gains.length == 0 ? Double.NaN : gains[gains.length / 2];
    }

    /** The size factor per layer from the output layer's weight back to the first: (g_first / g_last)^(1/(n−1)). */
    static double perLayer(List<Parameter> weights, Map<String, GradientStats> at) {
        if (weights.size() < 2) {
            return Double.NaN;
        }
        double first = at.get(weights.get(0).name()).gradNorm();
        double last = at.get(weights.get(weights.size() - 1).name()).gradNorm();
        return Math.pow(first / last, 1.0 / (weights.size() - 1));
    }

    static String vanishingEvidence(List<Parameter> weights, Map<String, GradientStats> at, long step) {
        Parameter first = weights.get(0);
        String largest = weights.stream().max(Comparator.comparingDouble(w -> at.get(w.name()).gradNorm()))
                .orElseThrow().name();
        double ratio = at.get(first.name()).gradNorm() / at.get(largest).gradNorm();
        long below = weights.stream().filter(w -> at.get(w.name()).gradNorm() / at.get(largest).gradNorm()
                < Diagnosis.VANISHING_RATIO).count();
        return "at step " + step + " the first layer's weight gradient (" + first.name() + ", ‖g‖ = "
                + sci(at.get(first.name()).gradNorm()) + ") is " + sci(ratio) + " × the largest (" + largest + "); "
                + below + " of " + weights.size() + " weights below " + sci(Diagnosis.VANISHING_RATIO)
                + "; the gradient shrinks by ×" + sci(perLayer(weights, at)) + " per layer on the way back";
    }

    static String healthyEvidence(List<Parameter> weights, Map<String, GradientStats> at, long step) {
        double min = weights.stream().mapToDouble(w -> at.get(w.name()).gradNorm()).min().orElse(0);
        double max = weights.stream().mapToDouble(w -> at.get(w.name()).gradNorm()).max().orElse(0);
        return "at step " + step + " the weight gradients' norms lie in [" + sci(min) + ", " + sci(max)
                + "] (smallest/largest " + sci(min / max) + ", vanishing below " + sci(Diagnosis.VANISHING_RATIO)
                + "); no NaN";
    }

    static String vanishing(MonitorRecords r, List<Parameter> weights, Map<String, GradientStats> at) {
        double gain = weightGain(r, weights);
        double measured = perLayer(weights, at);
        long sigmoids = count(r, Activation.SIGMOID);
        long tanhs = count(r, Activation.TANH);
        long relus = count(r, Activation.RELU) + count(r, Activation.LEAKY_RELU);
        String weightsPart = "the weights scale it by about " + sci(gain) + " per layer (‖W‖_F/√rows)";
        String measuredPart = Double.isFinite(measured) ? "; measured: ×" + sci(measured) + " per layer." : ".";
        if (sigmoids > 0) {
            return "σ′ ≤ 1/4: through " + sigmoids + " sigmoid layers the gradient shrinks by up to 4^−" + sigmoids
                    + " ≈ " + sci(Math.pow(4, -sigmoids)) + ", and " + weightsPart + measuredPart;
        }
        if (tanhs > 0) {
            return "tanh′ ≤ 1, equal to 1 only at 0, so " + tanhs + " tanh layers can only shrink the gradient; "
                    + weightsPart + measuredPart;
        }
        if (relus > 0) {
            return "ReLU passes the gradient through its active units only (about half), so each layer scales it by "
                    + "about g·√½ with the weight gain g = ‖W‖_F/√rows = " + sci(gain) + " here: ×"
                    + sci(gain * Math.sqrt(0.5)) + " per layer, and (×" + sci(gain * Math.sqrt(0.5)) + ")^" + (relus - 1)
                    + " over the stack. He initialisation makes g = √2 and the product 1" + measuredPart;
        }
        return "Each layer multiplies the gradient by its weights' transpose, and " + weightsPart + measuredPart;
    }

    static String vanishingFix(MonitorRecords r) {
        boolean squashing = count(r, Activation.SIGMOID) + count(r, Activation.TANH) > 0;
        return (squashing ? "Use ReLU with He initialisation, or put BatchNorm before each activation"
                : "Use He initialisation (std √(2/fan_in)), or BatchNorm after each Linear layer")
                + "; in a recurrent network, an LSTM instead of a plain RNN.";
    }

    static String exploding(MonitorRecords r, List<Parameter> weights) {
        double gain = weightGain(r, weights);
        boolean relu = count(r, Activation.RELU) + count(r, Activation.LEAKY_RELU) > 0;
        double perLayer = relu ? gain * Math.sqrt(0.5) : gain;
        return "Each layer multiplies the gradient by about " + sci(perLayer) + " on the way back (weight gain "
                + "‖W‖_F/√rows = " + sci(gain) + (relu ? ", times √½ for ReLU" : "") + "), so it grows geometrically "
                + "with depth; steps of that size overshoot, and the next forward pass can overflow to ∞ and NaN.";
    }

    static String saturated(ActivationStats a) {
        return a.kind() == Activation.SIGMOID
                ? "Where σ is below 0.01 or above 0.99, σ′ = σ(1 − σ) < 0.01: saturated units pass almost no gradient, "
                        + "usually because the pre-activations are large (large weights or unnormalised inputs)."
                : "Where |tanh| > 0.99, tanh′ = 1 − tanh² < 0.02: saturated units pass almost no gradient, usually "
                        + "because the pre-activations are large (large weights or unnormalised inputs).";
    }

    static String nan(NonFinite nf) {
        return "A NaN or ∞ appeared in the " + (nf.phase() == Phase.FORWARD ? "forward" : "backward") + " pass of step "
                + nf.step() + ", first in " + nf.place() + "; from there it spreads to every value computed after it, "
                + "usually after an overflow when values or updates grew too large.";
    }
}
