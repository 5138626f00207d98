package dev.nabla.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nabla.diagnostics.Diagnosis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HtmlReport() {
    }

    /** The report page for {@code data}, with ECharts inlined. */
    public static String render(ReportData data) {
        return render(data, resource(ECHARTS));
    }

    /** The report page with {@code chartLibrary} as the inlined chart script (tests pass a stand-in). */
    static String render(ReportData data, String chartLibrary) {
        Diagnosis.Finding network = data.diagnosis().network();
        StringBuilder h = new StringBuilder(chartLibrary.length() + 64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(data.title())).append("</title>\n")
                .append("<style>\n").append(resource("dev/nabla/report/report.css")).append("</style>\n")
                .append("</head>\n<body>\n<header>\n<h1>").append(esc(data.title())).append("</h1>\n<p>Network verdict: ")
                .append(badge(network.verdict())).append(" · ").append(data.history().steps()).append(" steps, ")
                .append(data.history().epochs().size()).append(" epochs · Nabla ")
                .append(esc(data.environment().getOrDefault("Nabla", "?"))).append("</p>\n</header>\n<main>\n");
        diagnosis(h, data.diagnosis());
        h.append("<section id=\"training\">\n<h2>Training</h2>\n<div class=\"grid\">\n");
        chart(h, "chart-loss", "Loss per epoch");
        chart(h, "chart-accuracy", "Accuracy per epoch");
        chart(h, "chart-steps", "Loss and global gradient norm per step (before and after clipping)");
        h.append("</div>\n</section>\n");
        h.append("<section id=\"gradients\">\n<h2>Gradients</h2>\n<p class=\"note\">‖∂L/∂W‖ of each weight, recorded every ")
                .append(data.records().every()).append(data.records().every() == 1 ? " step" : " steps")
                .append(", on a log scale. A gradient that shrinks layer after layer towards the input vanishes; one "
                        + "that grows explodes.</p>\n<div class=\"grid\">\n");
        chart(h, "chart-grad-profile", "Gradient norm per layer, first and last recorded step");
        chart(h, "chart-grad-layers", "Gradient norm per layer over the steps");
        chart(h, "chart-update-ratio", "Update-to-parameter ratio ‖Δw‖/‖w‖ per step (healthy: about 1e-3)");
        h.append("</div>\n</section>\n");
        if (!data.records().outputs().isEmpty()) {
            h.append("<section id=\"activations\">\n<h2>Activations</h2>\n<p class=\"note\">Saturated: sigmoid output "
                    + "below 0.01 or above 0.99, |tanh| above 0.99. Dead: a ReLU unit that is 0 for the whole batch."
                    + "</p>\n<div class=\"grid\">\n");
            chart(h, "chart-activations", "Saturated or dead fraction per activation layer");
            chart(h, "chart-activation-std", "Spread (std) of each activation layer's output");
            h.append("</div>\n</section>\n");
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

    private static String resource(String path) {
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
