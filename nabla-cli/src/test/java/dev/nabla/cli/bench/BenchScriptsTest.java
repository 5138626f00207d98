package dev.nabla.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The PyTorch twins under {@code bench/} that {@code bench/compare} runs next to {@code nabla bench}: one per
 * workload, and every script valid Python. Only the syntax is checked, so the test needs python3 but not torch.
 */
class BenchScriptsTest {
    /** The repository's root: surefire runs the tests in the module's directory. */
    private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    private static final Path TWINS = ROOT.resolve("bench/pytorch");
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void everyTrainingWorkloadHasAPyTorchTwin() throws IOException {
        Set<String> workloads = new TreeSet<>(new CommandLine(new BenchCommand()).getSubcommands().keySet());
        workloads.remove("peak");   // the machine's multiply-add peak: nothing to compare with
        workloads.remove("io");     // saving and loading Nabla's model files: their size and the heap they take
        Set<String> twins = new TreeSet<>();
        try (Stream<Path> files = Files.list(TWINS)) {
            files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".py") && !name.equals("common.py"))
                    .forEach(name -> twins.add(name.substring(0, name.length() - 3)));
        }
        assertEquals(workloads, twins);
    }

    @Test
    void theScriptsCompile() throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " not found");
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-m", "py_compile",
                ROOT.resolve("bench/compare").toString()));
        try (Stream<Path> files = Files.list(TWINS)) {
            files.filter(f -> f.toString().endsWith(".py")).sorted().forEach(f -> command.add(f.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the compiled files go to target/, not beside the sources
        builder.environment().put("PYTHONPYCACHEPREFIX", Path.of("target/pycache").toAbsolutePath().toString());
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "python3 -m py_compile did not finish");
        assertEquals(0, p.exitValue(), output);
    }
}
