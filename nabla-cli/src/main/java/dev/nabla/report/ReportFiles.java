package dev.nabla.report;

import dev.nabla.io.AtomicFiles;
import dev.nabla.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a run's report into a directory: {@code report.html} ({@link HtmlReport}), {@code metrics.csv} (one row per
 * epoch) and {@code history.json} (every figure of the report). Each file is written to a temporary file beside it
 * and then moved into place atomically, so a reader never sees half a file and a failed write leaves the previous
 * one.
 */
public final class ReportFiles {
    /** The report page's file name. */
    public static final String HTML = "report.html";
    /** The per-epoch metrics' file name. */
    public static final String CSV = "metrics.csv";
    /** The full data's file name. */
    public static final String JSON = "history.json";

    private ReportFiles() {
    }

    /**
     * Writes the three files into {@code dir}, creating it if needed.
     *
     * @return the path of {@code report.html}
     */
    public static Path write(Path dir, ReportData data) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(JSON), HtmlReport.json(ReportJson.tree(data)) + "\n");
        AtomicFiles.writeString(dir.resolve(CSV), csv(data));
        Path html = dir.resolve(HTML);
        AtomicFiles.writeString(html, HtmlReport.render(data));
        return html;
    }

    /** The per-epoch metrics as CSV with a header row; empty fields for values that were not measured. */
    static String csv(ReportData data) {
        StringBuilder sb = new StringBuilder(
                "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second\n");
        for (EpochMetrics e : data.history().epochs()) {
            sb.append(e.epoch());
            for (double v : new double[] {e.trainLoss(), e.trainAccuracy(), e.testLoss(), e.testAccuracy(), e.seconds(),
                e.samplesPerSecond()}) {
                sb.append(',').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "");
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
