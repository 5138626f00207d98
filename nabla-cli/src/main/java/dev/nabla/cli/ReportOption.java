package dev.nabla.cli;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --report DIR} (a picocli mixin): where the training report goes. The directory is made and proved writable
 * before training starts, so a bad path costs a second, not the whole run.
 */
final class ReportOption {
    @Option(names = "--report", paramLabel = "DIR",
            description = "Write report.html (charts of loss, accuracy, gradients, updates, activations and the "
                    + "diagnosis; works offline), metrics.csv and history.json into DIR (made if missing).")
    Path report;

    /** True when a report was asked for. */
    boolean wanted() {
        return report != null;
    }

    /**
     * Proves that the directory (and {@code subdirectories} of it, for one report each) can be made and written into,
     * leaving nothing behind, or fails with a sentence saying what is wrong with the path.
     */
    void prepare(String... subdirectories) throws IOException {
        if (report == null) {
            return;
        }
        String what = "--report " + report;
        String holds = "the report is three files (report.html, metrics.csv, history.json)";
        if (subdirectories.length == 0) {
            OutputDirectory.prove(what, report, holds);
        }
        for (String sub : subdirectories) {
            OutputDirectory.prove(what, report.resolve(sub), holds);
        }
    }
}
