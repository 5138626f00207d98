package dev.nabla.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabla.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Opens real reports in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium) and checks what a reader would see: no console error, every chart drawn on a canvas of non-zero size
 * with data in it, nothing fetched from the network, the summary line, and charts that read without hovering
 * (legends whole and clear of the axes, log axes with enough labels), for a small network, a 20-layer one and a
 * gradient-flow run. Saves a screenshot of each as {@code target/report-screenshot*.png}.
 * Skipped, saying so, only when Chromium or its driver is not installed ({@code tools/install-test-data} installs
 * both when run as root).
 */
@Tag("browser")
class ReportBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Selenium warns that it has no DevTools binding for this Chromium; the test uses none, so that stays quiet. */
    private static final java.util.logging.Logger SELENIUM = java.util.logging.Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM.setLevel(Level.SEVERE);
    }

    /** Per chart: its canvas's size, how many of its pixels are painted, and how many data points its series hold. */
    private static final String INSPECT_CHARTS = """
            var out = [];
            document.querySelectorAll('.chart').forEach(function (div) {
              var canvas = div.querySelector('canvas');
              var chart = echarts.getInstanceByDom(div);
              var points = 0;
              if (chart) {
                chart.getOption().series.forEach(function (s) {
                  (s.data || []).forEach(function (p) {
                    var v = Array.isArray(p) ? p[p.length - 1] : p;
                    if (v !== null && v !== undefined) { points++; }
                  });
                });
              }
              var painted = 0;
              if (canvas && canvas.width > 0 && canvas.height > 0) {
                var pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                for (var i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted++; } }
              }
              out.push({id: div.id, width: canvas ? canvas.width : 0, height: canvas ? canvas.height : 0,
                        painted: painted, points: points});
            });
            return JSON.stringify(out);""";

    private static final String CAPTURE_ERRORS = """
            window.__reportErrors = [];
            window.addEventListener('error', function (e) { window.__reportErrors.push('error: ' + e.message); });
            window.addEventListener('unhandledrejection', function (e) { window.__reportErrors.push('rejection: ' + e.reason); });
            var consoleError = console.error;
            console.error = function () {
              window.__reportErrors.push('console.error: ' + Array.prototype.join.call(arguments, ' '));
              consoleError.apply(console, arguments);
            };""";

    /**
     * Per chart, what a reader needs to read it, from ECharts' model and the elements it drew (rectangles in the
     * chart's pixels): the plot area, the legend's box and each legend entry's text with the region that shows it
     * (a paging legend clips the entries of other pages), each axis's name and labels, whether it is a log axis and
     * how many decades it spans, and each series' name and data.
     */
    private static final String INSPECT_LAYOUT = """
            function rectOf(el) {
              var r = el.getBoundingRect().clone();
              // zrender takes a line's height from the width of a CJK character, narrow where no CJK font is
              // installed: count each line of text as 1.2 × its font size at least.
              if (el.type === 'text') {
                var size = parseFloat(/([0-9.]+)px/.exec(el.style.font || '12px')[1]);
                var least = 1.2 * size * String(el.style.text).split('\\n').length;
                if (r.height < least) {
                  r.y -= (least - r.height) / 2;
                  r.height = least;
                }
              }
              var m = el.getComputedTransform();
              if (m) { r.applyTransform(m); }
              return r;
            }
            function plain(r) { return r ? {x: r.x, y: r.y, width: r.width, height: r.height} : null; }
            /** The region el is drawn in: the chart, cut down by any clip path of el or its parents. */
            function visibleRegion(chart, el) {
              var region = {x: 0, y: 0, width: chart.getWidth(), height: chart.getHeight()};
              for (var node = el; node; node = node.parent) {
                var clip = node.getClipPath && node.getClipPath();
                if (clip) {
                  var r = clip.getBoundingRect().clone();
                  var m = node.getComputedTransform();
                  if (m) { r.applyTransform(m); }
                  var x = Math.max(region.x, r.x), y = Math.max(region.y, r.y);
                  region = {x: x, y: y, width: Math.min(region.x + region.width, r.x + r.width) - x,
                            height: Math.min(region.y + region.height, r.y + r.height) - y};
                }
              }
              return region;
            }
            var out = [];
            document.querySelectorAll('.chart').forEach(function (div) {
              var chart = echarts.getInstanceByDom(div);
              var model = chart.getModel();
              var c = {id: div.id, width: chart.getWidth(), height: chart.getHeight(), axes: [], legendItems: [],
                       series: [], legend: null};
              c.grid = plain(model.getComponent('grid').coordinateSystem.getRect());
              var legendModel = model.getComponent('legend');
              if (legendModel) {
                var box = null;
                chart.getViewOfComponentModel(legendModel).group.traverse(function (el) {
                  if (el.isGroup || el.ignore) { return; }
                  var r = rectOf(el);
                  box = box ? (box.union(r), box) : r;
                  if (el.type === 'text') {
                    c.legendItems.push({text: el.style.text, rect: plain(r), region: visibleRegion(chart, el)});
                  }
                });
                c.legend = plain(box);
              }
              ['xAxis', 'yAxis'].forEach(function (type) {
                model.eachComponent(type, function (axisModel) {
                  var scale = axisModel.axis.scale;
                  var extent = scale.getExtent();
                  var log = scale.type === 'log' || /^log10/.test(axisModel.id);
                  var a = {type: type, log: log, labels: [], name: null,
                           decades: scale.type === 'log' ? Math.log10(extent[1] / extent[0]) : extent[1] - extent[0]};
                  chart.getViewOfComponentModel(axisModel).group.traverse(function (el) {
                    if (el.anid === 'name') {
                      a.name = {text: el.style.text, rect: plain(rectOf(el))};
                    } else if (el.anid && el.anid.indexOf('label_') === 0 && !el.ignore) {
                      a.labels.push({text: String(el.style.text), rect: plain(rectOf(el))});
                    }
                  });
                  c.axes.push(a);
                });
              });
              chart.getOption().series.forEach(function (s) {
                c.series.push({name: s.name, data: JSON.stringify(s.data)});
              });
              out.push(c);
            });
            return JSON.stringify(out);""";

    /** The text of a chart's tooltip at the middle of its plot. */
    private static final String TOOLTIP_TEXT = """
            var div = document.getElementById(arguments[0]);
            var chart = echarts.getInstanceByDom(div);
            var grid = chart.getModel().getComponent('grid').coordinateSystem.getRect();
            chart.dispatchAction({type: 'showTip', x: grid.x + grid.width / 2, y: grid.y + grid.height / 2});
            return div.innerText;""";

    @Test
    void everyChartOfATrainingReportIsDrawnInHeadlessChromiumWithoutAConsoleError(@TempDir Path dir) throws Exception {
        Path html = report(dir, "train", "--data", "digits", "--hidden", "64,64,64", "--batchnorm", "--activation",
                "tanh", "--epochs", "3", "--seed", "1", "--monitor-every", "5");
        inBrowser(dir, html, "report-screenshot.png", js -> {
            List<String> ids = checkChartsDrawn(js);
            assertEquals(List.of("chart-loss", "chart-accuracy", "chart-lr", "chart-steps", "chart-grad-profile",
                    "chart-grad-layers", "chart-update-ratio", "chart-activations", "chart-activation-std",
                    "chart-batchnorm"), ids);
            checkReadable(js);
            checkSummary(js, dir, "Test accuracy ");
            assertEquals("Loss and global gradient norm per step (no step was clipped)", js.executeScript(
                    "return document.getElementById('chart-steps').parentNode.querySelector('h3').textContent;"));
        });
    }

    @Test
    void aCnnReportDrawsItsFirstLayerFiltersAsAHeatMap(@TempDir Path dir) throws Exception {
        Path html = report(dir, "train", "--data", "digits", "--model", "cnn", "--channels", "8", "--epochs", "1");
        inBrowser(dir, html, "report-screenshot-cnn.png", js -> {
            List<String> ids = checkChartsDrawn(js);
            assertTrue(ids.contains("chart-filters"), ids.toString());
            Object cells = js.executeScript("var c = echarts.getInstanceByDom(document.getElementById('chart-filters'));"
                    + " var s = c.getOption().series[0]; return s.type + ' ' + s.data.length;");
            assertEquals("heatmap 72", cells, "eight 3×3 filters make 72 cells");
        });
    }

    @Test
    void aTwentyLayerReportWithFortySeriesInAChartStaysReadable(@TempDir Path dir) throws Exception {
        String twentyLayers = String.join(",", Collections.nCopies(20, "32"));
        Path html = report(dir, "train", "--data", "digits", "--hidden", twentyLayers, "--batchnorm", "--activation", "relu", "--epochs", "1", "--seed", "1", "--monitor-every", "4",
                "--clip-norm", "0.5");
        inBrowser(dir, html, "report-screenshot-deep.png", js -> {
            checkChartsDrawn(js);
            JsonNode charts = checkReadable(js);
            int most = 0;
            for (JsonNode c : charts) {
                most = Math.max(most, c.get("series").size());
            }
            assertEquals(40, most, "the BatchNorm chart has a mean and a variance for each of the 20 layers");
            checkSummary(js, dir, "Test accuracy ");
            String tooltip = (String) js.executeScript(TOOLTIP_TEXT, "chart-activations");
            assertTrue(tooltip.contains("% of units dead"), "the tooltip says what the fraction is: " + tooltip);
        });
    }

    @Test
    void aGradientFlowReportSpanningTwentyDecadesLabelsThemAll(@TempDir Path dir) throws Exception {
        Path html = report(dir, "gradflow", "--data", "digits", "--depth", "20", "--width", "32", "--steps", "5",
                "--activation", "sigmoid");
        inBrowser(dir, html, "report-screenshot-gradflow.png", js -> {
            JsonNode charts = checkReadable(js);
            JsonNode profile = chart(charts, "chart-grad-profile").get("axes").get(1);
            assertTrue(profile.get("decades").asDouble() >= 12, "the sigmoid network's gradients span many decades: "
                    + profile);
            checkSummary(js, dir, "test accuracy ");
        });
    }

    @Test
    void theEvaluationReportDrawsTheConfusionMatrixAsAHeatMap(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("model");
        report(dir, "train", "--data", "digits", "--hidden", "32", "--epochs", "2", "--checkpoint", model.toString());
        Path eval = dir.resolve("eval");
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new String[] {"eval", "--model", model.toString(), "--data", "digits", "--report",
            eval.toString()}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)), err.toString());
        inBrowser(dir, eval.resolve(EvalReport.HTML), "eval-screenshot.png", js -> {
            Object cells = js.executeScript("var c = echarts.getInstanceByDom(document.getElementById('chart-confusion'));"
                    + " var s = c.getOption().series[0]; return s.type + ' ' + s.data.length;");
            assertEquals("heatmap 100", cells, "ten classes make 100 cells");
            Object shown = js.executeScript("var c = document.querySelectorAll('#mistake-grid canvas');"
                    + " return c.length + ' ' + c[0].width + ' ' + document.querySelector('#mistake-grid figcaption')"
                    + ".textContent.includes('→');");
            String[] parts = shown.toString().split(" ");
            assertTrue(Integer.parseInt(parts[0]) > 0 && Integer.parseInt(parts[0]) <= 48, "misclassified shown: "
                    + shown);
            assertEquals("112", parts[1], "8 pixels drawn 14 times as wide");
            assertEquals("true", parts[2], "each image says its true and predicted class");
        });
    }

    /** Runs {@code nabla args… --report dir} and returns the page it wrote. */
    private static Path report(Path dir, String... args) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium not found (" + CHROMIUM + ", " + CHROMEDRIVER + "): the browser test is skipped. Install "
                        + "Debian's chromium and chromium-driver packages (tools/install-test-data does as root).");
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--report", dir.resolve("report").toString()));
        StringWriter err = new StringWriter();
        int status = Main.run(all.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        return dir.resolve("report").resolve("report.html");
    }

    interface PageCheck {
        void check(JavascriptExecutor js) throws Exception;
    }

    /**
     * Opens {@code html} in headless Chromium, fails on any console error or fetched resource, runs {@code check},
     * then saves a screenshot of the whole page as {@code target/<screenshot>}.
     */
    private static void inBrowser(Path dir, Path html, String screenshot, PageCheck check) throws Exception {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")),
                "--window-size=1300,2400");
        LoggingPreferences logging = new LoggingPreferences();
        logging.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logging);
        ChromeDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", CAPTURE_ERRORS));
            driver.get(html.toUri().toString());
            JavascriptExecutor js = driver;
            check.check(js);
            List<String> errors = new ArrayList<>();
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(e.getMessage());
                }
            }
            errors.addAll(toStrings(js.executeScript("return window.__reportErrors || ['the error capture did not run'];")));
            assertEquals(List.of(), errors, "console errors");
            Object fetched = js.executeScript("return performance.getEntriesByType('resource').map(function (r) { return r.name; });");
            assertEquals(List.of(), toStrings(fetched), "the report must not fetch anything");

            long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
            driver.manage().window().setSize(new Dimension(1300, (int) Math.min(height, 6000)));
            Path shot = Path.of("target", screenshot);
            Files.createDirectories(shot.getParent());
            Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.quit();
        }
    }

    /** Every chart drawn on a canvas of non-zero size, painted, with data; returns the charts' ids in page order. */
    private static List<String> checkChartsDrawn(JavascriptExecutor js) throws Exception {
        JsonNode charts = new ObjectMapper().readTree((String) js.executeScript(INSPECT_CHARTS));
        List<String> ids = new ArrayList<>();
        for (JsonNode c : charts) {
            String id = c.get("id").asText();
            ids.add(id);
            assertTrue(c.get("width").asInt() > 0 && c.get("height").asInt() > 0, id + " has no canvas: " + c);
            assertTrue(c.get("painted").asInt() > 1000, id + " is blank: " + c);
            assertTrue(c.get("points").asInt() > 0, id + " has no data: " + c);
        }
        assertEquals(String.valueOf(ids.size()), js.executeScript("return document.body.getAttribute('data-charts-drawn');"));
        return ids;
    }

    /**
     * What makes each chart readable without hovering: a legend inside the chart that covers neither the plot nor an
     * axis's name or labels, with every series' name whole and shown (not cut, not on another page); axis names and
     * labels inside the chart; at least four labels on a log axis, and on one spanning many decades a label every
     * decade or two (up to six); no line of the per-step chart hidden under another with the same data.
     */
    private static JsonNode checkReadable(JavascriptExecutor js) throws Exception {
        JsonNode charts = new ObjectMapper().readTree((String) js.executeScript(INSPECT_LAYOUT));
        List<String> problems = new ArrayList<>();
        for (JsonNode c : charts) {
            String id = c.get("id").asText();
            JsonNode whole = bounds(c);
            JsonNode legend = c.get("legend");
            if (legend == null || legend.isNull()) {
                problems.add(id + " has no legend");
                continue;
            }
            expect(problems, inside(legend, whole), id + ": the legend " + legend + " runs outside the chart " + whole);
            expect(problems, !overlap(legend, c.get("grid")), id + ": the legend " + legend + " covers the plot "
                    + c.get("grid"));
            Set<String> shown = new HashSet<>();
            for (JsonNode item : c.get("legendItems")) {
                expect(problems, inside(item.get("rect"), item.get("region")), id + ": the legend entry '"
                        + item.get("text").asText() + "' is cut or on another page: " + item);
                shown.add(item.get("text").asText());
                expect(problems, !item.get("text").asText().matches("\\d+ dead"), id + ": '"
                        + item.get("text").asText() + "' reads as a number of dead units");
            }
            Set<String> data = new HashSet<>();
            for (JsonNode s : c.get("series")) {
                expect(problems, shown.contains(s.get("name").asText()), id + ": the series '"
                        + s.get("name").asText() + "' has no whole entry in the legend " + shown);
                // Layers may well agree (no unit dead in either); the global gradient norm before and after clipping
                // agree when nothing was clipped, and then only one is drawn.
                expect(problems, data.add(s.get("data").asText()) || !id.equals("chart-steps"), id + ": the series '"
                        + s.get("name").asText() + "' has the same data as another and is drawn exactly over it");
            }
            for (JsonNode axis : c.get("axes")) {
                List<JsonNode> drawn = new ArrayList<>();
                axis.get("labels").forEach(drawn::add);
                if (!axis.get("name").isNull()) {
                    drawn.add(axis.get("name"));
                }
                for (JsonNode t : drawn) {
                    expect(problems, inside(t.get("rect"), whole), id + ": '" + t.get("text").asText() + "' of the "
                            + axis.get("type").asText() + " runs outside the chart: " + t);
                    expect(problems, !overlap(legend, t.get("rect")), id + ": the legend " + legend + " covers '"
                            + t.get("text").asText() + "' of the " + axis.get("type").asText());
                }
                if (axis.get("log").asBoolean()) {
                    int labels = axis.get("labels").size();
                    double decades = axis.get("decades").asDouble();
                    List<String> texts = new ArrayList<>();
                    axis.get("labels").forEach(l -> texts.add(l.get("text").asText()));
                    expect(problems, labels >= 4 && labels >= Math.min(6, decades / 2), id + ": a log axis spanning "
                            + String.format(Locale.ROOT, "%.1f", decades) + " decades has " + labels + " labels "
                            + texts);
                    for (JsonNode l : axis.get("labels")) {
                        expect(problems, l.get("text").asText().matches("\\d+(\\.\\d+)?(e[-+]?\\d+)?"), id
                                + ": a log axis label should read as a number: " + l);
                    }
                }
            }
        }
        assertEquals(List.of(), problems, "the charts do not read well");
        return charts;
    }

    private static void expect(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /** The summary line at the top states the run's final accuracy, as history.json has it. */
    private static void checkSummary(JavascriptExecutor js, Path dir, String accuracyLabel) throws Exception {
        String summary = (String) js.executeScript("var p = document.getElementById('summary'); "
                + "return p ? p.textContent : '';");
        JsonNode epochs = new ObjectMapper().readTree(dir.resolve("report").resolve("history.json").toFile())
                .get("epochs");
        double accuracy = epochs.get(epochs.size() - 1).get("test_accuracy").asDouble();
        assertTrue(summary.contains(accuracyLabel + String.format(Locale.ROOT, "%.4f", accuracy)),
                "the summary line states the test accuracy " + accuracy + ": '" + summary + "'");
        assertTrue(summary.contains("verdict "), summary);
    }

    private static JsonNode chart(JsonNode charts, String id) {
        for (JsonNode c : charts) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no chart " + id);
    }

    private static JsonNode bounds(JsonNode chart) {
        return new ObjectMapper().createObjectNode().put("x", 0).put("y", 0).put("width", chart.get("width").asDouble())
                .put("height", chart.get("height").asDouble());
    }

    /** Whether rectangle {@code a} lies within {@code b}, give or take a pixel of rounding. */
    static boolean inside(JsonNode a, JsonNode b) {
        double[] r = edges(a);
        double[] s = edges(b);
        return r[0] >= s[0] - 1 && r[1] >= s[1] - 1 && r[2] <= s[2] + 1 && r[3] <= s[3] + 1;
    }

    /** Whether rectangles {@code a} and {@code b} share more than a pixel's width. */
    static boolean overlap(JsonNode a, JsonNode b) {
        double[] r = edges(a);
        double[] s = edges(b);
        return Math.min(r[2], s[2]) - Math.max(r[0], s[0]) > 1 && Math.min(r[3], s[3]) - Math.max(r[1], s[1]) > 1;
    }

    /** Left, top, right, bottom of a rectangle {x, y, width, height}. */
    private static double[] edges(JsonNode r) {
        double x = r.get("x").asDouble();
        double y = r.get("y").asDouble();
        return new double[] {x, y, x + r.get("width").asDouble(), y + r.get("height").asDouble()};
    }

    private static List<String> toStrings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }
}
