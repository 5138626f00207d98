package dev.nabla.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.BatchNormStats;
import dev.nabla.diagnostics.MonitorRecords.GlobalNorm;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.ops.Activation;
import dev.nabla.train.EpochMetrics;
import dev.nabla.train.History;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The report renderer: a golden file for the page around the chart library, and the structure of the page with the
 * real library inlined. Regenerate the golden file after an intended change with
 * {@code -Dnabla.updateGolden=true}, and review its diff.
 */
class HtmlReportTest {
    static final Path GOLDEN = Path.of("src/test/resources/dev/nabla/report/golden-report.html");

    /** A small run, built by hand: two epochs, four steps, a BatchNorm layer, one NaN in the test loss. */
    static ReportData data(String title, boolean batchNorm) {
        History history = History.of(List.of(
                        new EpochMetrics(1, 1.5, 0.6, 1.2, 0.7, 0.5, 1000, 0.1),
                        new EpochMetrics(2, 0.8, 0.8, Double.NaN, 0.85, 0.5, 1000, 0.05)),
                new float[] {2.3f, 1.9f, 1.1f, 0.7f}, new double[] {3, 2.5, 1.5, 1.2}, new double[] {1, 1, 1, 1});
        List<Parameter> params = List.of(new Parameter("0.weight", "0", "Linear", List.of(4, 3)),
                new Parameter("0.bias", "0", "Linear", List.of(4)),
                new Parameter("3.weight", "3", "Linear", List.of(2, 4)));
        Map<String, Activation> acts = Map.of("2", Activation.SIGMOID);
        List<GradientStats> grads = List.of(
                new GradientStats(1, "0.weight", 1e-4, 2, 1e-3, 0), new GradientStats(1, "0.bias", 1e-5, 0.5, 2e-3, 0),
                new GradientStats(1, "3.weight", 0.5, 1.5, 1e-3, 0),
                new GradientStats(3, "0.weight", 2e-4, 2, 1e-3, 0.25), new GradientStats(3, "0.bias", 1e-5, 0.5, Double.NaN, 0),
                new GradientStats(3, "3.weight", 0.4, 1.5, 1e-3, 0));
        List<ActivationStats> outs = List.of(new ActivationStats(1, "2", Activation.SIGMOID, 0.5, 0.1, 0.3, Double.NaN),
                new ActivationStats(3, "2", Activation.SIGMOID, 0.5, 0.12, 0.2, Double.NaN));
        List<BatchNormStats> bns = batchNorm ? List.of(new BatchNormStats(1, "1", 0.01, 0.9),
                new BatchNormStats(3, "1", 0.02, 0.8)) : List.of();
        List<GlobalNorm> norms = List.of(new GlobalNorm(1, 3, 1), new GlobalNorm(2, 2.5, 1), new GlobalNorm(3, 1.5, 1),
                new GlobalNorm(4, 1.2, 1));
        MonitorRecords records = new MonitorRecords(2, params, acts, grads, outs, bns, norms, null);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("command", "nabla train");
        config.put("model", "3-4-2 sigmoid+bn");
        Map<String, String> env = new LinkedHashMap<>();
        env.put("seed", "7");
        env.put("Nabla", "1.2.3");
        env.put("JDK", "Test JDK 25");
        return new ReportData(title, config, env, history, records, Diagnosis.of(records));
    }

    @Test
    void aRegressionRunIsSummedUpByItsTestErrorsAndHasNoAccuracyChart() {
        ReportData classifier = data("Regression", false);
        History history = History.of(List.of(new EpochMetrics(1, 0.5, Double.NaN, 0.4, Double.NaN, 0.5, 1000, 0.1)),
                new float[] {0.6f, 0.4f}, new double[] {1, 1}, new double[] {1, 1});
        history.setOutcome(new dev.nabla.train.Evaluation(0.4, Double.NaN, 100, 95.63, 126.6, 0.968), 0);
        ReportData regression = new ReportData("Regression", classifier.config(), classifier.environment(), history,
                classifier.records(), classifier.diagnosis());
        String summary = HtmlReport.summary(regression);
        assertTrue(summary.startsWith("Test R² 0.9680, MAE 95.6, RMSE 127 · test loss 0.4000 · 1 epoch"), summary);
        String html = HtmlReport.render(regression, "");
        assertFalse(html.contains("id=\"chart-accuracy\""), "no accuracy chart for a regression run");
        assertTrue(HtmlReport.render(classifier, "").contains("id=\"chart-accuracy\""));
    }

    @Test
    void aCnnReportShowsItsFirstLayerFiltersWithTheirValues() throws Exception {
        ReportData d = data("CNN", false);
        float[] w = new float[2 * 1 * 3 * 3];
        for (int i = 0; i < w.length; i++) {
            w[i] = i - 9;
        }
        ReportData cnn = new ReportData(d.title(), d.config(), d.environment(), d.history(), d.records(),
                d.diagnosis(), new ReportData.Filters("0", dev.nabla.tensor.Tensor.of(w, 2, 1, 3, 3)), null);
        String html = HtmlReport.render(cnn, "");
        assertTrue(html.contains("<section id=\"filters\">") && html.contains("id=\"chart-filters\""));
        JsonNode filters = new ObjectMapper().valueToTree(ReportJson.tree(cnn)).get("filters");
        assertEquals("[2,1,3,3]", filters.get("shape").toString());
        assertEquals(-9, filters.get("values").get(0).asDouble());
        assertFalse(HtmlReport.render(d, "").contains("id=\"filters\""), "no filters, no section");
    }

    @Test
    void aCnnReportShowsTestImagesAndEachBlocksFeatureMaps() throws Exception {
        ReportData d = data("CNN", false);
        dev.nabla.nn.CnnSpec spec = new dev.nabla.nn.CnnSpec(8, 8, List.of(3, 4), List.of(6), 3, true, 0);
        float[] pixels = new float[6 * 64];
        int[] labels = {2, 2, 0, 1, 0, 1};
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (i * 37 % 11) / 10f;
        }
        dev.nabla.data.Dataset test = new dev.nabla.data.Dataset("t", pixels, dev.nabla.tensor.Shape.of(64), labels, 3);
        FeatureMapView view = FeatureMapView.of(spec.build(new dev.nabla.tensor.Rng(1)), spec, test);
        assertEquals(List.of("2", "0", "1"), view.captions(), "the first image of each class, in the order met");
        ReportData cnn = new ReportData(d.title(), d.config(), d.environment(), d.history(), d.records(),
                d.diagnosis(), null, view);
        assertTrue(HtmlReport.render(cnn, "").contains("<div id=\"feature-map-grid\" class=\"maps\">"));
        JsonNode maps = new ObjectMapper().valueToTree(ReportJson.tree(cnn)).get("feature_maps");
        assertEquals("[3,8,8]", maps.get("images").get("shape").toString());
        assertEquals(pixels[2 * 64 + 5], maps.get("images").get("values").get(64 + 5).floatValue(),
                "the second image shown is sample 2, the first of class 0");
        assertEquals("[3,3,8,8]", maps.get("blocks").get(0).get("shape").toString());
        assertEquals("[3,4,4,4]", maps.get("blocks").get(1).get("shape").toString());
        assertEquals(4, maps.get("blocks").get(1).get("channels").asInt());
        assertFalse(HtmlReport.render(d, "").contains("<section id=\"feature-maps\">"), "no maps, no section");
    }

    @Test
    void thePageAroundTheChartLibraryMatchesTheGoldenFile() throws Exception {
        String html = HtmlReport.render(data("Training report: golden", true), "/* the chart library */");
        if (Boolean.getBoolean("nabla.updateGolden")) {
            Files.writeString(GOLDEN, html, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), html,
                "the report changed: if on purpose, rerun with -Dnabla.updateGolden=true and review the diff");
    }

    @Test
    void theSameDataGiveTheSamePage() {
        assertEquals(HtmlReport.render(data("t", true)), HtmlReport.render(data("t", true)));
    }

    @Test
    void everythingIsInlinedAndNothingIsFetched() {
        String html = HtmlReport.render(data("t", true));
        assertTrue(html.contains("echarts"), "ECharts is inlined");
        assertTrue(html.length() > 600_000, "the ECharts build is about 650 kB; got " + html.length());
        assertFalse(Pattern.compile("<script[^>]*\\bsrc=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertFalse(Pattern.compile("<link[^>]*\\bhref=", Pattern.CASE_INSENSITIVE).matcher(html).find());
        assertEquals(3, count(html, "<script"), "data, library, charts");
        assertEquals(3, count(html, "</script>"), "nothing inside a script ends it early");
    }

    @Test
    void theEmbeddedDataIsHistoryJsonWithNanAsNull() throws Exception {
        ReportData d = data("t", true);
        String html = HtmlReport.render(d, "");
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">\\n(.*?)\\n</script>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find());
        JsonNode embedded = new ObjectMapper().readTree(m.group(1));
        assertEquals(new ObjectMapper().readTree(HtmlReport.json(ReportJson.tree(d))), embedded);
        assertTrue(embedded.get("epochs").get(1).get("test_loss").isNull());
        assertTrue(embedded.get("monitor").get("gradients").get(4).get("update_ratio").isNull());
        assertEquals("vanishing", embedded.get("diagnosis").get("verdict").asText());
        assertEquals(4, embedded.get("steps").get("loss").size());
    }

    @Test
    void sectionsWithoutDataAreLeftOut() {
        assertTrue(HtmlReport.render(data("t", true), "").contains("id=\"chart-batchnorm\""));
        assertFalse(HtmlReport.render(data("t", false), "").contains("id=\"chart-batchnorm\""));
    }

    @Test
    void textCannotBreakOutOfTheHtmlOrTheScripts() throws Exception {
        String evil = "</script><script>alert(1)</script> & <b>";
        String html = HtmlReport.render(data(evil, false), "");
        assertFalse(html.contains("<script>alert(1)"), "the title is escaped in HTML and in the embedded JSON");
        assertTrue(html.contains("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;</title>"));
        assertEquals("a<\\/script>b", HtmlReport.scriptSafe("a</script>b"));
        assertEquals(evil, new ObjectMapper().readTree(HtmlReport.scriptSafe("\"" + evil.replace("\"", "\\\"") + "\""))
                .asText(), "JSON reads <\\/ as </");
    }

    @Test
    void theSummaryLineStatesTheFinalTestFiguresTheTimeAndTheVerdict() {
        String html = HtmlReport.render(data("t", false), "");
        assertTrue(html.contains("<p id=\"summary\" class=\"summary\">Test accuracy 0.8500 · test loss NaN · 2 epochs "
                + "in 1.0 s · verdict <span class=\"verdict v-vanishing\">vanishing</span></p>"), html);
    }

    @Test
    void aRunGivenStepsIsSummedUpByItsStepsAndItsTrainingLoss() {
        ReportData d = with(data("t", false), Map.of("steps", 4), null);
        assertEquals("4 steps in 1.0 s · training loss 2.3000 → 0.7000 · test accuracy 0.8500 after them · "
                + "verdict <span class=\"verdict v-vanishing\">vanishing</span>", HtmlReport.summary(d));
    }

    @Test
    void aRunThatDivergedSaysWhereItStoppedAndWhatItReached() {
        NonFinite nf = new NonFinite(5, MonitorRecords.Phase.FORWARD, "2", "Linear output: NaN at index 3");
        String stopped = "the training loss became NaN at epoch 3, step 1: lower the learning rate";
        ReportData d = with(data("t", false), Map.of("stopped", stopped), nf);
        assertEquals("Diverged at step 5: the first NaN or ∞ in module 2 (Linear output: NaN at index 3) · 4 steps "
                + "completed, last training loss 0.7000 · 2 epochs completed in 1.0 s, then test accuracy 0.8500 · "
                + "verdict <span class=\"verdict v-NaN\">NaN</span>", HtmlReport.summary(d));
        String withoutRecord = HtmlReport.summary(with(data("t", false), Map.of("stopped", stopped), null));
        assertTrue(withoutRecord.startsWith("Diverged after step 4: the training loss became NaN at epoch 3, step 1 · "
                + "4 steps completed"), withoutRecord);
    }

    @Test
    void theStepChartSaysWhetherClippingChangedAnything() {
        assertTrue(HtmlReport.render(data("t", false), "").contains("per step, before and after clipping</h3>"));
        History unclipped = History.of(List.of(), new float[] {2f, 1f}, new double[] {3, 2}, new double[] {3, 2});
        assertFalse(HtmlReport.clipped(unclipped));
        assertTrue(HtmlReport.clipped(History.of(List.of(), new float[] {2f, 1f}, new double[] {3, 2},
                new double[] {1, 1})));
    }

    @Test
    void theFractionChartIsNamedAfterWhatItShows() {
        ActivationStats relu = new ActivationStats(1, "1", Activation.RELU, 0.5, 0.1, Double.NaN, 1.0);
        ActivationStats tanh = new ActivationStats(1, "3", Activation.TANH, 0, 0.5, 0.2, Double.NaN);
        ActivationStats leaky = new ActivationStats(1, "5", Activation.LEAKY_RELU, 0, 0.5, Double.NaN, Double.NaN);
        assertEquals("Fraction of units dead per ReLU layer", HtmlReport.fractionTitle(List.of(relu, leaky)));
        assertEquals("Fraction of outputs saturated per activation layer", HtmlReport.fractionTitle(List.of(tanh)));
        assertEquals("Fraction of units dead (ReLU) or of outputs saturated (sigmoid, tanh) per activation layer",
                HtmlReport.fractionTitle(List.of(relu, tanh)));
        assertEquals(null, HtmlReport.fractionTitle(List.of(leaky)));
    }

    /** {@code d} with more configuration entries and the monitor's first non-finite value. */
    private static ReportData with(ReportData d, Map<String, Object> config, NonFinite nonFinite) {
        Map<String, Object> c = new LinkedHashMap<>(d.config());
        c.putAll(config);
        MonitorRecords r = d.records();
        MonitorRecords records = new MonitorRecords(r.every(), r.parameters(), r.activations(), r.gradients(),
                r.outputs(), r.batchNorms(), r.norms(), nonFinite);
        return new ReportData(d.title(), c, d.environment(), d.history(), records, Diagnosis.of(records));
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
