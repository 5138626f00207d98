package dev.nabla.cli;

import dev.nabla.cli.GradflowTimeExperiment.Outcome;
import dev.nabla.tensor.Numbers;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The text of {@code nabla gradflow} for recurrent configurations: per time step the norm of the gradient that
 * reaches the input, ‖∂L/∂x_t‖, with a bar on a log scale, the first/last ratio, and the verdict with its reason
 * and fix; several configurations side by side.
 */
final class GradflowTimeTable {
    private static final int BAR = 32;
    private static final int SMALL_BAR = 10;

    private GradflowTimeTable() {
    }

    /** One configuration in full. */
    static String single(Outcome o) {
        double[] steps = o.profile().steps();
        double[] range = GradflowTable.range(Arrays.stream(steps));
        StringBuilder sb = new StringBuilder(header(range));
        sb.append(String.format(Locale.ROOT, "%6s  %-10s%n", "step", "‖∂L/∂x_t‖"));
        for (int t = 0; t < steps.length; t++) {
            sb.append(String.format(Locale.ROOT, "%6d  %-10s %s%n", t + 1, Numbers.sci(steps[t]),
                    GradflowTable.bar(steps[t], range, BAR)));
        }
        sb.append(String.format(Locale.ROOT, "%nratio first/last step  %s%n", Numbers.sci(o.profile().ratioFirstLast())));
        return sb.append('\n').append(GradflowTable.findingText(o.finding())).toString();
    }

    /** Several configurations, one column each. */
    static String compare(List<Outcome> outcomes) {
        double[] range = GradflowTable.range(outcomes.stream().flatMapToDouble(o -> Arrays.stream(o.profile().steps())));
        int col = Math.max(SMALL_BAR + 11, outcomes.stream().mapToInt(o -> o.config().label().length()).max().orElse(0) + 2);
        int steps = outcomes.get(0).profile().steps().length;
        StringBuilder sb = new StringBuilder(header(range));
        sb.append(String.format(Locale.ROOT, "%-8s", "step"));
        outcomes.forEach(o -> sb.append(GradflowTable.pad(o.config().label(), col)));
        sb.append('\n');
        for (int t = 0; t < steps; t++) {
            sb.append(String.format(Locale.ROOT, "%-8d", t + 1));
            for (Outcome o : outcomes) {
                double v = o.profile().steps()[t];
                sb.append(GradflowTable.pad(String.format(Locale.ROOT, "%-9s %s", Numbers.sci(v),
                        GradflowTable.bar(v, range, SMALL_BAR)), col));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT, "%-8s", "ratio"));
        outcomes.forEach(o -> sb.append(GradflowTable.pad(Numbers.sci(o.profile().ratioFirstLast()), col)));
        sb.append(String.format(Locale.ROOT, "%n%-8s", "verdict"));
        outcomes.forEach(o -> sb.append(GradflowTable.pad(o.finding().verdict().label(), col)));
        sb.append(String.format(Locale.ROOT, "%n%nratio: ‖∂L/∂x_1‖ over ‖∂L/∂x_%d‖: how much of the gradient at the "
                + "last step reaches the first%n", steps));
        for (Outcome o : outcomes) {
            sb.append('\n').append("── ").append(o.config().label()).append('\n').append(GradflowTable.findingText(o.finding()));
        }
        return sb.toString();
    }

    private static String header(double[] range) {
        return String.format(Locale.ROOT, "‖∂L/∂x_t‖, the gradient reaching each time step of the input, at "
                + "initialisation (bars: log scale %s … %s)%n", Numbers.power(range[0]), Numbers.power(range[1]));
    }
}
