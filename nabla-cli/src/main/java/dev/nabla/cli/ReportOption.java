package dev.nabla.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
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
     * Makes the directory (and {@code subdirectories} of it, for one report each) and writes and deletes a file in
     * each, or fails with a sentence saying what is wrong with the path.
     */
    void prepare(String... subdirectories) throws IOException {
        if (report == null) {
            return;
        }
        if (Files.exists(report) && !Files.isDirectory(report)) {
            throw new IOException("--report " + report + " is a file; the report is three files (report.html, "
                    + "metrics.csv, history.json) in a directory: give the path of a directory, new or existing");
        }
        if (subdirectories.length == 0) {
            prove(report);
        }
        for (String sub : subdirectories) {
            prove(report.resolve(sub));
        }
    }

    private void prove(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, ".nabla-write-test", ".tmp"));
        } catch (FileSystemException e) {
            throw new IOException("--report " + report + ": cannot write into " + dir + " ("
                    + Failures.reason(e) + (e.getFile() != null && !Path.of(e.getFile()).equals(dir) ? " at "
                    + e.getFile() : "") + "): give a directory you can write to", e);
        }
    }
}
