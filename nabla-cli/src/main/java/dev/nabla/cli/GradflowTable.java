package dev.nabla.cli;

import dev.nabla.cli.GradflowExperiment.Outcome;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.BatchNormStats;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.nn.CnnSpec;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Numbers;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.DoubleStream;

/**
 * The text of {@code nabla gradflow}: per hidden layer the weight-gradient norm at the first step with a bar on a
 * log scale, the first/last ratio, the sigmoid bound, and the diagnosis; several configurations side by side.
 */
final class GradflowTable {
    private static final int BAR = 32;
    private static final int SMALL_BAR = 10;

    private GradflowTable() {
    }

    /** One configuration in full. */
    static String single(Outcome o, int depth) {
        Map<String, Double> norms = o.firstStepNorms();
        List<Parameter> hidden = o.hiddenWeights();
        double[] range = range(List.of(o));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "‖∂L/∂W‖ per hidden layer after the first backward (log scale %s … %s)%n",
                Numbers.power(range[0]), Numbers.power(range[1])));
        sb.append(String.format(Locale.ROOT, "%6s  %-10s %-10s %s%n", "layer", "weight", "‖∂L/∂W‖", ""));
        for (int i = 0; i < hidden.size(); i++) {
            double v = norms.getOrDefault(hidden.get(i).name(), Double.NaN);
            sb.append(String.format(Locale.ROOT, "%6d  %-10s %-10s %s%n", i + 1, hidden.get(i).name(), Numbers.sci(v),
                    bar(v, range, BAR)));
        }
        Parameter out = o.outputWeight();
        double outNorm = norms.getOrDefault(out.name(), Double.NaN);
        sb.append(String.format(Locale.ROOT, "%6s  %-10s %-10s %s%n", "output", out.name(), Numbers.sci(outNorm),
                bar(outNorm, range, BAR)));
        sb.append(String.format(Locale.ROOT, "%nratio first/last hidden layer  %s%n", Numbers.sci(o.ratioFirstLast())));
        if (o.config().activation() == Activation.SIGMOID) {
            sb.append(bound(o, depth)).append('\n');
        }
        if (o.spec() instanceof CnnSpec) {
            sb.append(featureMaps(o));
        }
        if (o.diverged() != null) {
            sb.append("\nstopped   ").append(o.diverged()).append('\n');
        }
        sb.append('\n').append(diagnosisText(o));
        return sb.toString();
    }

    /**
     * A CNN's feature maps at the last recorded step: per ReLU the share of its channels that are 0 at every position
     * of every image of the batch (dead), and per BatchNorm2d the channel averages of its running mean and variance.
     */
    static String featureMaps(Outcome o) {
        List<ActivationStats> outputs = o.records().outputs();
        if (outputs.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nfeature maps at step %d%n",
                outputs.get(outputs.size() - 1).step()));
        sb.append(String.format(Locale.ROOT, "%6s  %-12s %s%n", "module", "kind", ""));
        for (ActivationStats a : o.lastRelus()) {
            sb.append(String.format(Locale.ROOT, "%6s  %-12s dead %s %.0f %%, mean output %s%n", a.module(),
                    "ReLU", afterLinear(o, a.module()) ? "units" : "channels", 100 * a.deadFraction(),
                    Numbers.sci(a.mean())));
        }
        for (BatchNormStats b : o.lastBatchNorms()) {
            sb.append(String.format(Locale.ROOT, "%6s  %-12s running mean %s, running var %s (averages over "
                    + "channels)%n", b.module(), "BatchNorm", Numbers.sci(b.meanOfMean()), Numbers.sci(b.meanOfVar())));
        }
        return sb.toString();
    }

    /** Several configurations, one column each. */
    static String compare(List<Outcome> outcomes, int depth) {
        double[] range = range(outcomes);
        int col = Math.max(SMALL_BAR + 11, outcomes.stream().mapToInt(o -> o.config().label().length()).max().orElse(0) + 2);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "‖∂L/∂W‖ per hidden layer after the first backward (bars: log scale %s … %s)%n",
                Numbers.power(range[0]), Numbers.power(range[1])));
        sb.append(String.format(Locale.ROOT, "%-8s", "layer"));
        outcomes.forEach(o -> sb.append(pad(o.config().label(), col)));
        sb.append('\n');
        for (int i = 0; i < depth; i++) {
            sb.append(String.format(Locale.ROOT, "%-8d", i + 1));
            for (Outcome o : outcomes) {
                double v = o.firstStepNorms().getOrDefault(o.hiddenWeights().get(i).name(), Double.NaN);
                sb.append(pad(String.format(Locale.ROOT, "%-9s %s", Numbers.sci(v), bar(v, range, SMALL_BAR)), col));
            }
            sb.append('\n');
        }
        row(sb, "output", outcomes, o -> Numbers.sci(o.firstStepNorms().getOrDefault(o.outputWeight().name(), Double.NaN)), col);
        row(sb, "ratio", outcomes, o -> Numbers.sci(o.ratioFirstLast()), col);
        row(sb, "verdict", outcomes, o -> o.diagnosis().verdict().label(), col);
        sb.append(String.format(Locale.ROOT, "%nratio: ‖∂L/∂W‖ of hidden layer 1 over hidden layer %d, at the first step%n", depth));
        outcomes.stream().filter(o -> o.config().activation() == Activation.SIGMOID)
                .min(Comparator.comparing(o -> o.config().batchNorm()))
                .ifPresent(o -> sb.append(bound(o, depth)).append(" (").append(o.config().label()).append(")\n"));
        for (Outcome o : outcomes) {
            sb.append('\n').append("── ").append(o.config().label()).append('\n');
            if (o.diverged() != null) {
                sb.append("stopped   ").append(o.diverged()).append('\n');
            }
            sb.append(diagnosisText(o));
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, List<Outcome> outcomes,
                            Function<Outcome, String> cell, int col) {
        sb.append(String.format(Locale.ROOT, "%-8s", name));
        outcomes.forEach(o -> sb.append(pad(cell.apply(o), col)));
        sb.append('\n');
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    /** Whether the nearest layer with parameters before the module at {@code path} is a Linear (units, not maps). */
    private static boolean afterLinear(Outcome o, String path) {
        int at = index(path);
        return o.records().parameters().stream().filter(p -> index(p.module()) < at)
                .max(Comparator.comparingInt(p -> index(p.module())))
                .map(p -> p.moduleType().equals("Linear")).orElse(false);
    }

    private static int index(String path) {
        try {
            return Integer.parseInt(path);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The network's verdict with its evidence, reason and fix, indented. */
    static String diagnosisText(Outcome o) {
        return findingText(o.diagnosis().network());
    }

    /** A verdict with its evidence, reason and fix, indented. */
    static String findingText(Diagnosis.Finding n) {
        StringBuilder sb = new StringBuilder("verdict   ").append(n.verdict().label()).append('\n')
                .append("evidence  ").append(n.evidence()).append('\n');
        if (!n.reason().isEmpty()) {
            sb.append("why       ").append(n.reason()).append('\n');
        }
        if (!n.fix().isEmpty()) {
            sb.append("fix       ").append(n.fix()).append('\n');
        }
        return sb.toString();
    }

    /**
     * The sigmoid bound (1/4)^(depth−1), and what the weights of {@code o} add to it: backward through a Linear
     * layer scales the gradient by about ‖W‖_F/√rows (see the diagnostics' note [weight gain]).
     */
    static String bound(Outcome o, int depth) {
        int between = depth - 1;
        double sigma = Math.pow(0.25, between);
        double gain = o.weightGain();
        String withWeights = Double.isFinite(gain) ? String.format(Locale.ROOT,
                "; with weights of gain ‖W‖_F/√rows = %s per layer (here, median), (%s/4)^%d ≈ %s",
                Numbers.sci(gain), Numbers.sci(gain), between, Numbers.sci(Math.pow(gain / 4, between))) : "";
        return String.format(Locale.ROOT, "sigmoid bound: σ′ ≤ 1/4, so the %d sigmoid layers between hidden layers 1 and "
                + "%d scale the gradient by at most (1/4)^%d = %s%s", between, depth, between, Numbers.sci(sigma), withWeights);
    }

    /** The log10 range [10^lo, 10^hi] covering every finite positive norm of the table. */
    static double[] range(List<Outcome> outcomes) {
        return range(outcomes.stream().flatMapToDouble(o -> o.firstStepNorms().values().stream()
                .mapToDouble(Double::doubleValue)));
    }

    /** The log10 range [10^lo, 10^hi] covering every finite positive value. */
    static double[] range(DoubleStream values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values.filter(v -> v > 0 && Double.isFinite(v)).toArray()) {
            lo = Math.min(lo, Math.floor(Math.log10(v)));
            hi = Math.max(hi, Math.ceil(Math.log10(v)));
        }
        if (lo > hi) {
            return new double[] {1e-1, 1e1};
        }
        if (lo == hi) {
            hi = lo + 1;
        }
        return new double[] {Math.pow(10, lo), Math.pow(10, hi)};
    }

    /** A bar whose length grows with log10(v) from range[0] (no bar) to range[1] (full). */
    static String bar(double v, double[] range, int width) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return v == 0 ? "" : "?";
        }
        double f = (Math.log10(v) - Math.log10(range[0])) / (Math.log10(range[1]) - Math.log10(range[0]));
        int eighths = (int) Math.round(Math.max(0, Math.min(1, f)) * width * 8);
        String partial = eighths % 8 == 0 ? "" : String.valueOf("▏▎▍▌▋▊▉".charAt(eighths % 8 - 1));
        String s = "█".repeat(eighths / 8) + partial;
        return s.isEmpty() ? "▏" : s;
    }
}
