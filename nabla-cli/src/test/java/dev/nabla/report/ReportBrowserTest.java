package dev.nabla.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.List;
import java.util.Map;
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
 * Opens a real report in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium) and checks what a reader would see: no console error, every chart drawn on a canvas of non-zero size
 * with data in it, nothing fetched from the network. Saves a screenshot as {@code target/report-screenshot.png}.
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

    @Test
    void everyChartOfATrainingReportIsDrawnInHeadlessChromiumWithoutAConsoleError(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium not found (" + CHROMIUM + ", " + CHROMEDRIVER + "): the browser test is skipped. Install "
                        + "Debian's chromium and chromium-driver packages (tools/install-test-data does as root).");
        StringWriter err = new StringWriter();
        int status = Main.run(new String[] {"train", "--data", "digits", "--hidden", "64,64,64", "--batchnorm",
            "--activation", "tanh", "--epochs", "3", "--seed", "1", "--monitor-every", "5", "--report", dir.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertEquals(0, status, err.toString());
        Path html = dir.resolve("report.html");

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
            List<String> errors = new ArrayList<>();
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(e.getMessage());
                }
            }
            errors.addAll(toStrings(js.executeScript("return window.__reportErrors || ['the error capture did not run'];")));
            assertEquals(List.of(), errors, "console errors");

            JsonNode charts = new ObjectMapper().readTree((String) js.executeScript(INSPECT_CHARTS));
            List<String> ids = new ArrayList<>();
            for (JsonNode c : charts) {
                String id = c.get("id").asText();
                ids.add(id);
                assertTrue(c.get("width").asInt() > 0 && c.get("height").asInt() > 0, id + " has no canvas: " + c);
                assertTrue(c.get("painted").asInt() > 1000, id + " is blank: " + c);
                assertTrue(c.get("points").asInt() > 0, id + " has no data: " + c);
            }
            assertEquals(List.of("chart-loss", "chart-accuracy", "chart-steps", "chart-grad-profile",
                    "chart-grad-layers", "chart-update-ratio", "chart-activations", "chart-activation-std",
                    "chart-batchnorm"), ids);
            assertEquals(String.valueOf(ids.size()), js.executeScript(
                    "return document.body.getAttribute('data-charts-drawn');"));
            Object fetched = js.executeScript("return performance.getEntriesByType('resource').map(function (r) { return r.name; });");
            assertEquals(List.of(), toStrings(fetched), "the report must not fetch anything");

            long height = ((Number) js.executeScript("return document.documentElement.scrollHeight;")).longValue();
            driver.manage().window().setSize(new Dimension(1300, (int) Math.min(height, 6000)));
            Path shot = Path.of("target", "report-screenshot.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.quit();
        }
    }

    private static List<String> toStrings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }
}
