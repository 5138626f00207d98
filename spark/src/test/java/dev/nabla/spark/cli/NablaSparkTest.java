package dev.nabla.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The top-level {@code nabla-spark} command: its help and version, which start no Spark. */
class NablaSparkTest {
    private record Result(int status, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = NablaSpark.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(status, out.toString(), err.toString());
    }

    @Test
    void itsHelpNamesItAndSaysWhatItDoes() {
        Result help = run("--help");
        assertEquals(0, help.status(), help.err());
        assertTrue(help.out().startsWith("Usage: nabla-spark "), help.out());
        assertTrue(help.out().contains("Apache Spark") && help.out().contains("--version"), help.out());
        assertEquals("", help.err());
    }

    @Test
    void itsVersionIsNablasWithTheKernels() {
        Result version = run("--version");
        assertEquals(0, version.status(), version.err());
        assertTrue(version.out().startsWith("Nabla ") && version.out().contains("\nKernels: "), version.out());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        Result wrong = run("no-such-command");
        assertEquals(2, wrong.status());
        assertTrue(wrong.err().contains("no-such-command"), wrong.err());
    }
}
