package dev.nabla.diagnostics;

import static dev.nabla.tensor.Numbers.sci;

import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.GlobalNorm;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords.Phase;
import dev.nabla.diagnostics.MonitorRecords.TimeStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plain-language verdict on a network's gradient flow, per layer and for the network, from what a
 * {@link GradientMonitor} recorded: each verdict with the measured evidence, the reason, and the fix to try.
 *
 * <p>The rules, each threshold a constant below:
 * <ul>
 *   <li><b>vanishing</b>: at the latest recorded step with finite gradients, a weight's gradient norm is below
 *       {@link #VANISHING_RATIO} times the largest weight-gradient norm of the network: that layer learns at a
 *       thousandth of the speed of the others, or not at all.</li>
 *   <li><b>exploding</b>: at some step a weight's gradient norm, or the global norm before clipping, exceeds
 *       {@link #EXPLODING_GRAD_NORM} (for a loss of order 1, as cross-entropy); or a weight's gradient is more than
 *       {@link #EXPLODING_GROWTH} times that of the output layer's weight (it grew on the way back); or one optimizer
 *       step changed a weight by more than {@link #EXPLODING_UPDATE_RATIO} times its own norm.</li>
 *   <li><b>saturated</b>: at the latest recorded step, more than {@link #SATURATED_FRACTION} of a sigmoid's or
 *       tanh's outputs are in the flat zone (see {@link GradientMonitor#SIGMOID_LOW}), where the derivative is below
 *       0.02.</li>
 *   <li><b>dead</b>: at the latest recorded step, more than {@link #DEAD_FRACTION} of a ReLU's units output 0 for
 *       the whole batch, so they get no gradient at all.</li>
 *   <li><b>NaN</b>: a NaN or ∞ appeared; the layer is the one the monitor caught it in.</li>
 *   <li><b>through time</b> (a recurrent model): at the latest recorded step, the gradient that reaches the first time
 *       step of the input against the last, as {@link GradientThroughTime#diagnose} judges it (subject
 *       {@code time}).</li>
 * </ul>
 * The network's verdict is the first that applies of: exploding (which also explains a NaN that follows), NaN,
 * vanishing, saturated, dead; otherwise healthy.
 */
public final class Diagnosis {
    /** A weight gradient below this fraction of the network's largest is vanishing: 1e-3. */
    public static final double VANISHING_RATIO = 1e-3;
    /** A weight gradient norm (or global norm) above this is exploding: 1e3, for losses of order 1. */
    public static final double EXPLODING_GRAD_NORM = 1e3;
    /** A weight gradient this many times larger than the output layer's has grown on the way back: 1e3. */
    public static final double EXPLODING_GROWTH = 1e3;
    /** An optimizer step with ‖Δw‖/‖w‖ above this overshoots: 1 (a healthy step is around 1e-3). */
    public static final double EXPLODING_UPDATE_RATIO = 1.0;
    /** More than this fraction of saturated outputs makes a saturated layer: 0.25. */
    public static final double SATURATED_FRACTION = 0.25;
    /**
     * More than this fraction of dead units makes a dead layer: 0.5. A deep ReLU network with He initialisation
     * already has 5–35% of its units at 0 for a whole batch at the start (its activations grow correlated with
     * depth), and trains well; a layer with more than half its units dead has lost most of its capacity.
     */
    public static final double DEAD_FRACTION = 0.5;

    /** What a layer or the network suffers from. */
    public enum Verdict {
        HEALTHY("healthy"), VANISHING("vanishing"), EXPLODING("exploding"), SATURATED("saturated"), DEAD("dead"),
        NAN("NaN");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        /** The lower-case name used in text and JSON: {@code healthy}, {@code vanishing}, …, {@code NaN}. */
        public String label() {
            return label;
        }
    }

    /**
     * One verdict.
     *
     * @param subject  a parameter ({@code 0.weight}), an activation module ({@code 1}) or {@code network}
     * @param verdict  the verdict
     * @param evidence the measured figures behind it
     * @param reason   why, in one or two sentences
     * @param fix      what to try ({@code ""} when healthy)
     */
    public record Finding(String subject, Verdict verdict, String evidence, String reason, String fix) {
        /** True unless healthy. */
        public boolean isProblem() {
            return verdict != Verdict.HEALTHY;
        }
    }

    private final Finding network;
    private final List<Finding> layers;

    private Diagnosis(Finding network, List<Finding> layers) {
        this.network = network;
        this.layers = List.copyOf(layers);
    }

    /** The diagnosis of what {@code records} hold so far. */
    public static Diagnosis of(MonitorRecords records) {
        return new Rules(records).diagnose();
    }

    /** The network's verdict. */
    public Verdict verdict() {
        return network.verdict();
    }

    /** The network's finding. */
    public Finding network() {
        return network;
    }

    /** One finding per weight (model order), then one per activation module (model order). */
    public List<Finding> layers() {
        return layers;
    }

    /** The layers' findings that are not healthy. */
    public List<Finding> problems() {
        return layers.stream().filter(Finding::isProblem).toList();
    }

    /** The diagnosis as a few lines of text: the network's verdict, evidence, reason and fix, then each problem. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("verdict   ").append(network.verdict().label()).append('\n')
                .append("evidence  ").append(network.evidence()).append('\n')
                .append("why       ").append(network.reason()).append('\n');
        if (!network.fix().isEmpty()) {
            sb.append("fix       ").append(network.fix()).append('\n');
        }
        for (Finding f : problems()) {
            sb.append(String.format(Locale.ROOT, "  %-10s %-9s %s%n", f.subject(), f.verdict().label(), f.evidence()));
        }
        return sb.toString();
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /** Applies the rules to one set of records. */
    private static final class Rules {
        private final MonitorRecords r;
        private final List<Parameter> weights = new ArrayList<>();
        private final TreeMap<Long, Map<String, GradientStats>> byStep = new TreeMap<>();
        private final Map<String, ActivationStats> lastOutputs = new LinkedHashMap<>();
        private final Long finiteStep;

        Rules(MonitorRecords r) {
            this.r = r;
            r.parameters().stream().filter(Parameter::isWeight).forEach(weights::add);
            for (GradientStats g : r.gradients()) {
                byStep.computeIfAbsent(g.step(), s -> new LinkedHashMap<>()).put(g.name(), g);
            }
            r.outputs().forEach(o -> lastOutputs.put(o.module(), o));
            Long found = null;
            for (var e : byStep.descendingMap().entrySet()) {
                if (weights.stream().allMatch(w -> e.getValue().containsKey(w.name())
                        && Double.isFinite(e.getValue().get(w.name()).gradNorm())) && largest(e.getValue()) > 0) {
                    found = e.getKey();
                    break;
                }
            }
            finiteStep = found;
        }

        private double largest(Map<String, GradientStats> step) {
            return weights.stream().mapToDouble(w -> step.get(w.name()).gradNorm()).max().orElse(0);
        }

        Diagnosis diagnose() {
            List<Finding> layers = new ArrayList<>();
            for (Parameter w : weights) {
                layers.add(weight(w));
            }
            r.activations().keySet().forEach(m -> layers.add(activation(m)));
            if (!r.times().isEmpty()) {
                layers.add(throughTime(r.times().get(r.times().size() - 1)));
            }
            return new Diagnosis(network(layers), layers);
        }

        private static Finding throughTime(TimeStats t) {
            Finding f = t.profile().diagnose(t.kind(), t.forgetBias());
            return new Finding(f.subject(), f.verdict(), f.evidence() + " at step " + t.step(), f.reason(), f.fix());
        }

        private Finding weight(Parameter w) {
            NonFinite nf = r.nonFinite();
            if (nf != null && (nf.phase() == Phase.BACKWARD && nf.where().equals(w.name())
                    || nf.phase() == Phase.FORWARD && nf.where().equals(w.module()))) {
                return nanFinding(w.name(), nf);
            }
            String exploding = explodingEvidence(w);
            if (exploding != null) {
                return new Finding(w.name(), Verdict.EXPLODING, exploding, Explain.exploding(r, weights),
                        Explain.EXPLODING_FIX);
            }
            if (finiteStep == null) {
                return new Finding(w.name(), Verdict.HEALTHY, "no finite gradient recorded yet", "", "");
            }
            Map<String, GradientStats> at = byStep.get(finiteStep);
            double norm = at.get(w.name()).gradNorm();
            double ratio = norm / largest(at);
            String evidence = "‖g‖ = " + sci(norm) + ", " + sci(ratio) + " × the largest weight gradient at step "
                    + finiteStep;
            if (ratio < VANISHING_RATIO) {
                return new Finding(w.name(), Verdict.VANISHING, evidence + " (below " + sci(VANISHING_RATIO) + ")",
                        Explain.vanishing(r, weights, byStep.get(finiteStep)), Explain.vanishingFix(r));
            }
            double update = at.get(w.name()).updateRatio();
            return new Finding(w.name(), Verdict.HEALTHY, evidence + (Double.isFinite(update)
                    ? "; ‖Δw‖/‖w‖ = " + sci(update) : ""), "", "");
        }

        /** Why the weight's gradient counts as exploding, or null. */
        private String explodingEvidence(Parameter w) {
            Parameter output = weights.get(weights.size() - 1);
            for (var e : byStep.entrySet()) {
                GradientStats g = e.getValue().get(w.name());
                if (g == null) {
                    continue;
                }
                if (g.gradNorm() > EXPLODING_GRAD_NORM) {
                    return "‖g‖ = " + sci(g.gradNorm()) + " at step " + e.getKey() + " (above " + sci(EXPLODING_GRAD_NORM) + ")";
                }
                GradientStats out = e.getValue().get(output.name());
                if (out != null && out.gradNorm() > 0 && g.gradNorm() / out.gradNorm() > EXPLODING_GROWTH) {
                    return "‖g‖ = " + sci(g.gradNorm()) + " is " + sci(g.gradNorm() / out.gradNorm())
                            + " × that of the output layer's weight at step " + e.getKey() + " (above "
                            + sci(EXPLODING_GROWTH) + ")";
                }
                if (g.updateRatio() > EXPLODING_UPDATE_RATIO) {
                    return "one step changed it by ‖Δw‖/‖w‖ = " + sci(g.updateRatio()) + " at step " + e.getKey()
                            + " (above " + sci(EXPLODING_UPDATE_RATIO) + ")";
                }
            }
            return null;
        }

        private Finding activation(String module) {
            NonFinite nf = r.nonFinite();
            if (nf != null && nf.phase() == Phase.FORWARD && nf.where().equals(module)) {
                return nanFinding(module, nf);
            }
            ActivationStats a = lastOutputs.get(module);
            if (a == null) {
                return new Finding(module, Verdict.HEALTHY, "no output recorded yet", "", "");
            }
            String stats = "output mean " + sci(a.mean()) + ", std " + sci(a.std()) + " at step " + a.step();
            if (a.saturatedFraction() > SATURATED_FRACTION) {
                return new Finding(module, Verdict.SATURATED, percent(a.saturatedFraction()) + " of the "
                        + Explain.name(a.kind()) + " outputs saturated (above " + percent(SATURATED_FRACTION) + "); "
                        + stats, Explain.saturated(a), Explain.SATURATED_FIX);
            }
            if (a.deadFraction() > DEAD_FRACTION) {
                return new Finding(module, Verdict.DEAD, percent(a.deadFraction()) + " of the units dead for the "
                        + "whole batch (above " + percent(DEAD_FRACTION) + "); " + stats, Explain.DEAD_REASON,
                        Explain.DEAD_FIX);
            }
            String extra = Double.isNaN(a.saturatedFraction()) ? Double.isNaN(a.deadFraction()) ? ""
                    : "; " + percent(a.deadFraction()) + " dead" : "; " + percent(a.saturatedFraction()) + " saturated";
            return new Finding(module, Verdict.HEALTHY, stats + extra, "", "");
        }

        private Finding nanFinding(String subject, NonFinite nf) {
            return new Finding(subject, Verdict.NAN, "non-finite " + (nf.phase() == Phase.FORWARD ? "output" : "gradient")
                    + " at step " + nf.step() + ": " + nf.detail(), Explain.nan(nf), Explain.NAN_FIX);
        }

        private Finding network(List<Finding> layers) {
            NonFinite nf = r.nonFinite();
            String nanText = nf == null ? "" : "; then a non-finite " + (nf.phase() == Phase.FORWARD ? "output" : "gradient")
                    + " at step " + nf.step() + " in " + nf.place() + " (" + nf.detail() + ")";
            GlobalNorm worst = r.norms().stream().filter(n -> Double.isFinite(n.before()))
                    .max(Comparator.comparingDouble(GlobalNorm::before)).orElse(null);
            Finding explodingLayer = first(layers, Verdict.EXPLODING);
            if (worst != null && worst.before() > EXPLODING_GRAD_NORM || explodingLayer != null) {
                String evidence = worst != null && worst.before() > EXPLODING_GRAD_NORM
                        ? "global gradient norm " + sci(worst.before()) + " at step " + worst.step() + " (above "
                                + sci(EXPLODING_GRAD_NORM) + ")" + (worst.after() < worst.before()
                                ? ", clipped to " + sci(worst.after()) : "")
                        : explodingLayer.subject() + ": " + explodingLayer.evidence();
                return new Finding("network", Verdict.EXPLODING, evidence + nanText, Explain.exploding(r, weights),
                        Explain.EXPLODING_FIX);
            }
            if (nf != null) {
                return new Finding("network", Verdict.NAN, "non-finite " + (nf.phase() == Phase.FORWARD ? "output"
                        : "gradient") + " at step " + nf.step() + " in " + nf.place() + " (" + nf.detail() + ")",
                        Explain.nan(nf), Explain.NAN_FIX);
            }
            Finding vanishing = first(layers, Verdict.VANISHING);
            if (vanishing != null && vanishing.subject().equals(GradientThroughTime.SUBJECT)) {
                return new Finding("network", Verdict.VANISHING, "through time: " + vanishing.evidence(),
                        vanishing.reason(), vanishing.fix());
            }
            if (vanishing != null) {
                Map<String, GradientStats> at = byStep.get(finiteStep);
                return new Finding("network", Verdict.VANISHING, Explain.vanishingEvidence(weights, at, finiteStep),
                        vanishing.reason(), vanishing.fix());
            }
            for (Verdict v : new Verdict[] {Verdict.SATURATED, Verdict.DEAD}) {
                List<Finding> hit = layers.stream().filter(f -> f.verdict() == v).toList();
                if (!hit.isEmpty()) {
                    return new Finding("network", v, hit.size() + " of " + r.activations().size()
                            + " activation layers " + v.label() + ", e.g. " + hit.get(0).subject() + ": "
                            + hit.get(0).evidence(), hit.get(0).reason(), hit.get(0).fix());
                }
            }
            if (finiteStep == null) {
                return new Finding("network", Verdict.HEALTHY, "no gradients recorded yet", "", "");
            }
            return new Finding("network", Verdict.HEALTHY, Explain.healthyEvidence(weights, byStep.get(finiteStep),
                    finiteStep), "The gradient reaches every layer at a similar scale, and no activation is saturated "
                    + "or dead.", "");
        }

        private static Finding first(List<Finding> layers, Verdict v) {
            return layers.stream().filter(f -> f.verdict() == v).findFirst().orElse(null);
        }
    }
}
