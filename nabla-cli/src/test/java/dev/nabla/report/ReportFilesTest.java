package dev.nabla.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @Test
    void writesTheThreeFilesReplacingOldOnesAndLeavingNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("a/b");
        Files.createDirectories(out);
        Files.writeString(out.resolve("report.html"), "old");
        Path html = ReportFiles.write(out, HtmlReportTest.data("t", true));
        assertEquals(out.resolve("report.html"), html);
        assertTrue(Files.readString(html).startsWith("<!DOCTYPE html>"));
        try (var files = Files.list(out)) {
            assertEquals(List.of("history.json", "metrics.csv", "report.html"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.isReadable(html));
    }

    @Test
    void metricsCsvHasOneRowPerEpochAndLeavesUnmeasuredValuesEmpty() {
        assertEquals("""
                epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,samples_per_second
                1,1.50000,0.600000,1.20000,0.700000,0.500000,1000.00
                2,0.800000,0.800000,,0.850000,0.500000,1000.00
                """, ReportFiles.csv(HtmlReportTest.data("t", true)));
    }

    @Test
    void aWriteThatFailsLeavesWhatWasThereAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("report.html");
        Files.createDirectory(target);                       // the move onto a non-empty directory must fail
        Files.writeString(target.resolve("keep.txt"), "old");
        assertThrows(java.io.IOException.class, () -> dev.nabla.io.AtomicFiles.writeString(target, "new"));
        assertEquals("old", Files.readString(target.resolve("keep.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("report.html"), files.map(p -> p.getFileName().toString()).toList());
        }
    }
}
