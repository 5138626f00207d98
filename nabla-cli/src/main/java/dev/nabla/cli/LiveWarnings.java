package dev.nabla.cli;

import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.GradientMonitor;
import dev.nabla.diagnostics.GradientThroughTime;
import dev.nabla.train.StepMetrics;
import dev.nabla.train.TrainingListener;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Warns while training when the diagnosis turns bad: after each step the monitor records, it diagnoses what was
 * recorded so far, and prints one line the first time a condition (vanishing, exploding, saturated, dead, NaN)
 * appears, naming the step, the layer and the evidence, with the fix. Each condition is reported once per run, not
 * once per step.
 */
final class LiveWarnings implements TrainingListener {
    private final GradientMonitor monitor;
    private final Consumer<String> out;
    private final Set<Diagnosis.Verdict> warned = EnumSet.noneOf(Diagnosis.Verdict.class);

    /** Warnings from {@code monitor}'s records, each line given to {@code out}. */
    LiveWarnings(GradientMonitor monitor, Consumer<String> out) {
        this.monitor = monitor;
        this.out = out;
    }

    @Override
    public void onStep(StepMetrics step) {
        if ((step.globalStep() - 1) % monitor.every() == 0) {
            check(step.globalStep());
        }
    }

    /** Diagnoses the records so far and warns about each condition seen for the first time. */
    void check(long step) {
        Diagnosis d = Diagnosis.of(monitor.records());
        warn(step, d.network());
        d.problems().forEach(f -> warn(step, f));
    }

    private void warn(long step, Diagnosis.Finding f) {
        if (f.isProblem() && warned.add(f.verdict())) {
            String subject = f.subject().equals("network") ? ""
                    : f.subject().equals(GradientThroughTime.SUBJECT) ? " through time" : " in " + f.subject();
            out.accept(String.format(Locale.ROOT, "warning  step %d: %s%s: %s. Try: %s", step, describe(f.verdict()),
                    subject, f.evidence(), f.fix()));
        }
    }

    private static String describe(Diagnosis.Verdict v) {
        return switch (v) {
            case VANISHING -> "vanishing gradients";
            case EXPLODING -> "exploding gradients";
            case SATURATED -> "saturated activations";
            case DEAD -> "dead ReLUs";
            case NAN -> "NaN";
            case HEALTHY -> "healthy";
        };
    }

    /** The conditions warned about so far. */
    Set<Diagnosis.Verdict> warned() {
        return EnumSet.copyOf(warned);
    }
}
