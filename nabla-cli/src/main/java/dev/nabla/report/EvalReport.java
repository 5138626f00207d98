package dev.nabla.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.data.Dataset;
import dev.nabla.io.AtomicFiles;
import dev.nabla.train.ClassificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page of {@code nabla eval --report}: the accuracy and loss, the confusion matrix as a heat map (ECharts,
 * inlined so that the page works offline), the per-class precision and recall as a table, and for image data the
 * first misclassified images with their true and predicted classes.
 */
public final class EvalReport {
    /** The page's file name. */
    public static final String HTML = "eval.html";
    /** The full ECharts build: the heat map is not in the common one the training report uses. */
    static final String ECHARTS = HtmlReport.ECHARTS_FULL;

    private EvalReport() {
    }

    /**
     * Writes {@value #HTML} into {@code dir} (made if missing) and returns its path.
     *
     * @param data  the data evaluated, whose misclassified images the page shows
     * @param image {@code [height, width]} of the data's greyscale images, or empty when they are not images
     */
    public static Path write(Path dir, String title, ClassificationReport r, Dataset data, List<Integer> image)
            throws IOException {
        Files.createDirectories(dir);
        Path html = dir.resolve(HTML);
        List<Map<String, Object>> mistakes = new ArrayList<>();
        if (!image.isEmpty()) {
            for (ClassificationReport.Mistake m : r.mistakes()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("sample", m.sample());
                one.put("label", r.classes().get(m.label()));
                one.put("predicted", r.classes().get(m.predicted()));
                one.put("pixels", data.batch(new int[] {m.sample()}).x().data());
                mistakes.add(one);
            }
        }
        AtomicFiles.writeString(html, render(title, r, image, mistakes, HtmlReport.resource(ECHARTS)));
        return html;
    }

    /** The page, with {@code chartLibrary} inlined as its chart script. */
    static String render(String title, ClassificationReport r, List<Integer> image, List<Map<String, Object>> mistakes,
                         String chartLibrary) {
        StringBuilder h = new StringBuilder(chartLibrary.length() + 16 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(HtmlReport.esc(title)).append("</title>\n<style>\n")
                .append(HtmlReport.resource("dev/nabla/report/report.css"))
                .append("</style>\n</head>\n<body>\n<header>\n<h1>")
                .append(HtmlReport.esc(title)).append("</h1>\n<p id=\"summary\" class=\"summary\">")
                .append(String.format(Locale.ROOT, "Accuracy %.2f %% · loss %.4f · %,d samples", 100 * r.accuracy(),
                        r.loss(), r.samples()))
                .append("</p>\n</header>\n<main>\n<section id=\"confusion\">\n<h2>Confusion matrix</h2>\n")
                .append("<p class=\"note\">A row per true class, a column per predicted class; the diagonal is right."
                        + "</p>\n<div class=\"chart-box\"><div class=\"chart\" id=\"chart-confusion\" "
                        + "style=\"height:560px\"></div></div>\n</section>\n")
                .append("<section id=\"per-class\">\n<h2>Per class</h2>\n<table>\n<tr><th>class</th><th>precision</th>"
                        + "<th>recall</th><th>samples</th></tr>\n");
        for (int c = 0; c < r.classes().size(); c++) {
            h.append("<tr><td>").append(HtmlReport.esc(r.classes().get(c))).append("</td><td>")
                    .append(fraction(r.precision(c))).append("</td><td>").append(fraction(r.recall(c)))
                    .append("</td><td>").append(r.support(c)).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
        if (!mistakes.isEmpty()) {
            h.append("<section id=\"mistakes\">\n<h2>Misclassified</h2>\n<p class=\"note\">The first ")
                    .append(mistakes.size()).append(" images the model got wrong, in the data's order: the true "
                    + "class, then the class it gave.</p>\n<div id=\"mistake-grid\" class=\"mistakes\"></div>\n"
                    + "</section>\n");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("classes", r.classes());
        data.put("confusion", r.confusion());
        data.put("image", image);
        data.put("mistakes", mistakes);
        String json;
        try {
            json = new ObjectMapper().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        h.append("</main>\n<script type=\"application/json\" id=\"eval-data\">\n")
                .append(HtmlReport.jsonSafe(json)).append("\n</script>\n<script>\n")
                .append(HtmlReport.scriptSafe(chartLibrary)).append("\n</script>\n<script>\n")
                .append(HtmlReport.scriptSafe(HtmlReport.resource("dev/nabla/report/eval.js"))).append("</script>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    private static String fraction(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }
}
