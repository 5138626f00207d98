package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code GemmKernels.java} is what {@code tools/gemm-kernels.py} generates, byte for byte, so that a
 * hand edit of the generated file (lost at the next run of the script) or a script change without its output fails
 * the build. Runs {@code /usr/bin/python3 tools/gemm-kernels.py --stdout} from the repository root.
 *
 * <p><b>Note:</b> without {@code /usr/bin/python3} this test fails rather than skips: CI has it, and a skipped
 * check would pass unnoticed.
 */
class GemmKernelsGeneratedTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String SCRIPT = "tools/gemm-kernels.py";
    private static final String GENERATED = "nabla-core/src/main/java/dev/nabla/kernel/GemmKernels.java";
    private static final String REGENERATE = "Regenerate it from the repository root with `python3 " + SCRIPT
            + "`, and change the script rather than the generated file.";

    @Test
    void gemmKernelsIsWhatTheScriptGenerates() throws IOException, InterruptedException {
        Path root = repositoryRoot();
        if (!Files.isExecutable(PYTHON)) {
            fail(PYTHON + " is missing: this test runs it on " + SCRIPT + " to check that " + GENERATED
                    + " is up to date. Install Python 3 (Debian: apt-get install python3).");
        }
        byte[] committed = Files.readAllBytes(root.resolve(GENERATED));
        byte[] generated = run(root);
        int at = Arrays.mismatch(committed, generated);
        if (at >= 0) {
            fail(GENERATED + " differs from what " + SCRIPT + " generates, first at line " + lineOf(committed, at)
                    + " (committed " + committed.length + " bytes, generated " + generated.length + "):\n  committed: "
                    + lineAt(committed, at) + "\n  generated: " + lineAt(generated, at) + "\n" + REGENERATE);
        }
    }

    /** The script's output; fails with its standard error when it does not exit with 0 within a minute. */
    private static byte[] run(Path root) throws IOException, InterruptedException {
        Path out = Files.createTempFile("gemm-kernels", ".java");
        Path err = Files.createTempFile("gemm-kernels", ".err");
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), SCRIPT, "--stdout")
                    .directory(root.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(PYTHON + " " + SCRIPT + " --stdout did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                fail(PYTHON + " " + SCRIPT + " --stdout exited with " + p.exitValue() + ":\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * The directory holding the script and the generated file: Maven's {@code basedir} (the module) or the working
     * directory, or one of their parents.
     */
    static Path repositoryRoot() {
        Path start = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT)) && Files.isRegularFile(dir.resolve(GENERATED))) {
                return dir;
            }
        }
        return fail("no directory from " + start + " up holds both " + SCRIPT + " and " + GENERATED
                + "; run the test inside the repository");
    }

    private static int lineOf(byte[] text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The line of {@code text} that holds {@code offset} (empty past the end), in quotes. */
    private static String lineAt(byte[] text, int offset) {
        if (offset >= text.length) {
            return "(end of file)";
        }
        int from = offset;
        while (from > 0 && text[from - 1] != '\n') {
            from--;
        }
        int to = offset;
        while (to < text.length && text[to] != '\n') {
            to++;
        }
        return '"' + new String(text, from, to - from, StandardCharsets.UTF_8) + '"';
    }
}
