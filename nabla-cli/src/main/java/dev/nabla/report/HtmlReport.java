package dev.nabla.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Numbers;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.Evaluation;
import dev.nabla.train.History;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The training report as one self-contained HTML page: every script and style inlined, nothing fetched from the
 * network, so it opens offline and can be mailed or archived as one file. The charts are drawn in the browser by
 * Apache ECharts (from the {@code org.webjars.npm:echarts} WebJar on the classpath, inlined) from the same JSON as
 * {@code history.json}, embedded in the page.
 *
 * <p>{@link #render} is a pure function of its {@link ReportData}: the same data give the same page, byte for byte.
 */
public final class HtmlReport {
    /** The ECharts build inlined into every report: line, bar, scatter and pie charts, with log axes. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.common.min.js";
    /** The whole build, with heat maps, for a report that draws a CNN's filters. */
    static final String ECHARTS_FULL = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HtmlReport() {
    }

    /** The report page for {@code data}, with ECharts inlined. */
    public static String render(ReportData data) {
        return render(data, resource(data.filters() != null ? ECHARTS_FULL : ECHARTS));
    }

    /** The report page with {@code chartLibrary} as the inlined chart script (tests pass a stand-in). */
    static String render(ReportData data, String chartLibrary) {
        StringBuilder h = new StringBuilder(chartLibrary.length() + 64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(data.title())).append("</title>\n")
                .append("<style>\n").append(resource("dev/nabla/report/report.css")).append("</style>\n")
                .append("</head>\n<body>\n<header>\n<h1>").append(esc(data.title())).append("</h1>\n")
                .append("<p id=\"summary\" class=\"summary\">").append(summary(data)).append("</p>\n<p>")
                .append(count(data.history().steps(), "step")).append(", ")
                .append(count(data.history().epochs().size(), "epoch")).append(" · Nabla ")
                .append(esc(data.environment().getOrDefault("Nabla", "?"))).append("</p>\n</header>\n<main>\n");
        diagnosis(h, data.diagnosis());
        h.append("<section id=\"training\">\n<h2>Training</h2>\n<div class=\"grid\">\n");
        chart(h, "chart-loss", "Loss per epoch");
        if (data.history().epochs().stream().anyMatch(e -> Double.isFinite(e.trainAccuracy()))) {
            chart(h, "chart-accuracy", "Accuracy per epoch");   // a regression model has none
        }
        chart(h, "chart-lr", "Learning rate per epoch (the rate of its first step)");
        chart(h, "chart-steps", clipped(data.history()) ? "Loss and global gradient norm per step, before and after "
                + "clipping" : "Loss and global gradient norm per step (no step was clipped)");
        h.append("</div>\n</section>\n");
        h.append("<section id=\"gradients\">\n<h2>Gradients</h2>\n<p class=\"note\">‖∂L/∂W‖ of each weight, recorded every ")
                .append(data.records().every()).append(data.records().every() == 1 ? " step" : " steps")
                .append(", on a log scale. A gradient that shrinks layer after layer towards the input vanishes; one "
                        + "that grows explodes.</p>\n<div class=\"grid\">\n");
        chart(h, "chart-grad-profile", "Gradient norm per layer, first and last recorded step");
        chart(h, "chart-grad-layers", "Gradient norm per layer over the steps");
        chart(h, "chart-update-ratio", "Update-to-parameter ratio ‖Δw‖/‖w‖ per step (healthy: about 1e-3)");
        h.append("</div>\n</section>\n");
        if (!data.records().times().isEmpty()) {
            h.append("<section id=\"time\">\n<h2>Gradient through time</h2>\n<p class=\"note\">‖∂L/∂x_t‖, the "
                    + "gradient that reaches each time step of the input, on a log scale. Going back one step, a "
                    + "recurrent network multiplies it by its recurrent Jacobian: when the first steps get orders of "
                    + "magnitude less than the last, the model cannot learn from them.</p>\n<div class=\"grid\">\n");
            chart(h, "chart-time", "Gradient norm per time step, first, middle and last recorded step");
            chart(h, "chart-time-ratio", "‖∂L/∂x_1‖ / ‖∂L/∂x_T‖ per recorded step");
            h.append("</div>\n</section>\n");
        }
        if (!data.records().outputs().isEmpty()) {
            h.append("<section id=\"activations\">\n<h2>Activations</h2>\n<p class=\"note\">Saturated: sigmoid output "
                    + "below 0.01 or above 0.99, |tanh| above 0.99. Dead: a ReLU unit that is 0 for the whole batch."
                    + "</p>\n<div class=\"grid\">\n");
            String fractions = fractionTitle(data.records().outputs());
            if (fractions != null) {
                chart(h, "chart-activations", fractions);
            }
            chart(h, "chart-activation-std", "Spread (std) of each activation layer's output");
            h.append("</div>\n</section>\n");
        }
        if (data.filters() != null) {
            h.append("<section id=\"filters\">\n<h2>First-layer filters</h2>\n<p class=\"note\">The kernels of "
                    + "convolution ").append(esc(data.filters().layer())).append(" after training, one per output "
                    + "channel (of its first input channel): blue negative, red positive, white zero. Trained on images "
                    + "they become edge, stripe and blob detectors; filters that stayed noise did not learn.</p>\n"
                    + "<div class=\"grid\">\n");
            chart(h, "chart-filters", "Filters of layer " + data.filters().layer());
            h.append("</div>\n</section>\n");
        }
        if (data.featureMaps() != null) {
            h.append("<section id=\"feature-maps\">\n<h2>Feature maps</h2>\n<p class=\"note\">A few test images "
                    + "(one per class) and what the trained network made of them: the output of each convolution "
                    + "block's ReLU, its first ").append(FeatureMapView.CHANNELS).append(" channels, each map "
                    + "scaled to its own largest value (black 0, white largest). Early blocks answer edges and "
                    + "strokes; later ones, coarser parts. A map that is black for every image is a dead channel."
                    + "</p>\n<div id=\"feature-map-grid\" class=\"maps\"></div>\n</section>\n");
        }
        if (!data.records().batchNorms().isEmpty()) {
            h.append("<section id=\"batchnorm\">\n<h2>Batch normalisation</h2>\n<p class=\"note\">The running "
                    + "statistics used at test time, averaged over channels.</p>\n<div class=\"grid\">\n");
            chart(h, "chart-batchnorm", "Running mean and variance per BatchNorm layer");
            h.append("</div>\n</section>\n");
        }
        table(h, "configuration", "Configuration", data.config());
        table(h, "environment", "Environment", data.environment());
        h.append("</main>\n<script type=\"application/json\" id=\"report-data\">\n")
                .append(jsonSafe(json(ReportJson.tree(data)))).append("\n</script>\n")
                .append("<script>\n").append(scriptSafe(chartLibrary)).append("\n</script>\n")
                .append("<script>\n").append(scriptSafe(resource("dev/nabla/report/report.js"))).append("</script>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    /**
     * What the run came to, in one line of HTML: the final test accuracy and loss, how long it trained and the
     * verdict; for a run given a number of steps rather than epochs (its configuration has {@code steps}, as
     * {@code nabla gradflow}'s does), the steps and how the training loss moved over them; for a run that diverged,
     * where it stopped and what it had reached.
     */
    static String summary(ReportData data) {
        History h = data.history();
        List<String> parts = new ArrayList<>();
        NonFinite nf = data.records().nonFinite();
        Object stopped = data.config().get("stopped");
        boolean diverged = nf != null || stopped != null;
        if (diverged) {
            parts.add(nf != null ? "Diverged at step " + nf.step() + ": the first NaN or ∞ in " + nf.place() + " ("
                    + nf.detail() + ")" : "Diverged after step " + h.steps() + ": " + firstClause(stopped.toString()));
            parts.add(h.steps() + (h.steps() == 1 ? " step" : " steps") + " completed"
                    + (h.steps() > 0 ? ", last training loss " + loss(lastFinite(h.stepLosses())) : ""));
            if (!h.epochs().isEmpty() && !data.config().containsKey("steps")) {
                EpochMetrics last = h.last();
                parts.add(count(h.epochs().size(), "epoch") + " completed in " + seconds(h.trainingSeconds())
                        + (Double.isFinite(last.testAccuracy()) ? ", then test accuracy "
                        + accuracy(last.testAccuracy()) : ""));
            }
        } else if (data.config().containsKey("steps") && h.steps() > 0) {
            float[] losses = h.stepLosses();
            parts.add(count(h.steps(), "step") + (h.epochs().isEmpty() ? "" : " in " + seconds(h.trainingSeconds())));
            parts.add("training loss " + loss(losses[0]) + " → " + loss(losses[losses.length - 1]));
            if (!h.epochs().isEmpty() && Double.isFinite(h.last().testAccuracy())) {
                parts.add("test accuracy " + accuracy(h.last().testAccuracy()) + " after them");
            }
        } else if (!h.epochs().isEmpty()) {
            EpochMetrics last = h.last();
            Evaluation test = h.finalTest();
            if (test != null && Double.isFinite(test.r2())) {
                parts.add("Test R² " + String.format(Locale.ROOT, "%.4f", test.r2()) + ", MAE "
                        + Numbers.sci(test.mae()) + ", RMSE " + Numbers.sci(test.rmse()));
                parts.add("test loss " + loss(test.loss()));
            } else if (Double.isFinite(h.testAccuracy())) {
                parts.add("Test accuracy " + accuracy(h.testAccuracy()));
                parts.add("test loss " + loss(h.testLoss()));
            } else {
                if (Double.isFinite(last.trainAccuracy())) {
                    parts.add("Training accuracy " + accuracy(last.trainAccuracy()));
                }
                parts.add("training loss " + loss(last.trainLoss()));
            }
            parts.add(count(h.epochs().size(), "epoch") + " in " + seconds(h.trainingSeconds()));
        } else {
            parts.add(count(h.steps(), "step"));
        }
        StringBuilder line = new StringBuilder();
        parts.forEach(p -> line.append(esc(p)).append(" · "));
        return line.append("verdict ").append(badge(data.diagnosis().network().verdict())).toString();
    }

    /** True when clipping changed the global gradient norm of at least one step. */
    static boolean clipped(History h) {
        return !Arrays.equals(h.stepGradNorms(), h.stepClippedGradNorms());
    }

    /**
     * The title of the chart of saturated or dead fractions, naming what it shows for the kinds of activation in
     * {@code outputs}, or null when none of them has such a fraction (leaky ReLU).
     */
    static String fractionTitle(List<ActivationStats> outputs) {
        boolean dead = outputs.stream().anyMatch(a -> a.kind() == Activation.RELU);
        boolean saturated = outputs.stream().anyMatch(a -> a.kind().saturates());
        if (dead && saturated) {
            return "Fraction of units dead (ReLU) or of outputs saturated (sigmoid, tanh) per activation layer";
        }
        return dead ? "Fraction of units dead per ReLU layer" : saturated
                ? "Fraction of outputs saturated per activation layer" : null;
    }

    private static String firstClause(String message) {
        int colon = message.indexOf(": ");
        return colon > 0 ? message.substring(0, colon) : message;
    }

    private static float lastFinite(float[] values) {
        for (int i = values.length - 1; i >= 0; i--) {
            if (Float.isFinite(values[i])) {
                return values[i];
            }
        }
        return Float.NaN;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static String accuracy(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** Four decimals where that reads well, three significant digits for a loss that has blown up or vanished. */
    private static String loss(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "NaN" : v > 0 ? "∞" : "−∞";
        }
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-3 && a < 1e5) ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.2e", v).replaceAll("e\\+?(-?)0*(\\d)", "e$1$2");
    }

    private static String seconds(double s) {
        if (s < 1) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        if (s < 100) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = Math.round(s);
        return whole < 3600 ? whole / 60 + " min " + whole % 60 + " s"
                : whole / 3600 + " h " + whole % 3600 / 60 + " min";
    }

    /** The report's data as indented JSON: {@code history.json}. */
    static String json(Map<String, Object> tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report's data could not be written as JSON", e);
        }
    }

    private static void diagnosis(StringBuilder h, Diagnosis d) {
        Diagnosis.Finding n = d.network();
        h.append("<section id=\"diagnosis\">\n<h2>Diagnosis</h2>\n<p class=\"big\">").append(badge(n.verdict()))
                .append("</p>\n<dl class=\"finding\">\n<dt>evidence</dt><dd>").append(esc(n.evidence())).append("</dd>\n");
        if (!n.reason().isEmpty()) {
            h.append("<dt>why</dt><dd>").append(esc(n.reason())).append("</dd>\n");
        }
        if (!n.fix().isEmpty()) {
            h.append("<dt>fix</dt><dd>").append(esc(n.fix())).append("</dd>\n");
        }
        Map<String, Long> counts = new TreeMap<>();
        d.layers().forEach(f -> counts.merge(f.verdict().label(), 1L, Long::sum));
        StringBuilder summary = new StringBuilder();
        counts.forEach((verdict, count) -> summary.append(summary.isEmpty() ? "" : ", ").append(count).append(' ').append(verdict));
        h.append("</dl>\n<details>\n<summary>").append(d.layers().size()).append(" layers: ").append(esc(summary.toString()))
                .append("</summary>\n<table class=\"layers\">\n<tr><th>layer</th><th>verdict</th><th>evidence</th></tr>\n");
        for (Diagnosis.Finding f : d.layers()) {
            h.append("<tr><td>").append(esc(f.subject())).append("</td><td>").append(badge(f.verdict()))
                    .append("</td><td>").append(esc(f.evidence())).append("</td></tr>\n");
        }
        h.append("</table>\n</details>\n</section>\n");
    }

    private static void chart(StringBuilder h, String id, String title) {
        h.append("<div class=\"chart-box\"><h3>").append(esc(title)).append("</h3><div class=\"chart\" id=\"")
                .append(id).append("\"></div></div>\n");
    }

    private static void table(StringBuilder h, String id, String title, Map<String, ?> rows) {
        h.append("<section id=\"").append(id).append("\">\n<h2>").append(title).append("</h2>\n<table>\n");
        rows.forEach((k, v) -> h.append("<tr><td class=\"k\">").append(esc(k)).append("</td><td>")
                .append(esc(String.valueOf(v))).append("</td></tr>\n"));
        h.append("</table>\n</section>\n");
    }

    private static String badge(Diagnosis.Verdict v) {
        return "<span class=\"verdict v-" + v.label() + "\">" + esc(v.label()) + "</span>";
    }

    /** Text for HTML content and attribute values. */
    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /**
     * Text that cannot end the {@code <script>} element it sits in: {@code </} becomes {@code <\/}, the same string in
     * JavaScript and in JSON, and {@code <!--} becomes {@code <\!--}.
     */
    static String scriptSafe(String s) {
        return s.replace("</", "<\\/").replace("<!--", "<\\!--");
    }

    /** JSON that cannot end or confuse its {@code <script>} element: every {@code <} (only ever in a string) as {@code \u003c}. */
    static String jsonSafe(String json) {
        return json.replace("<", "\\u003c");
    }

    /** A text resource of the classpath (the chart library, the page's style and script). */
    static String resource(String path) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath: the report needs it (the nabla-cli "
                        + "jar bundles it; rebuild with Maven)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + " from the classpath", e);
        }
    }
}
