package dev.nabla.spark.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The README's figures of {@code ./nabla-spark} commands are what they give now: {@code tools/check-readme-figures
 * --program nabla-spark} reruns them on the classes under test (this JVM's class path and Spark's JVM options, in a
 * JVM of their own), as nabla-cli's {@code ReadmeFiguresTest} does for {@code ./nabla}'s. Skipped, saying so, when
 * the README publishes no figures for this machine's vector width.
 */
@Tag("integration")
class SparkReadmeFiguresTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everySparkFigureInTheReadmeIsWhatItsCommandGives() throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> jvm = new ArrayList<>(List.of(quote(java)));
        // this JVM's options (the vector module, Spark's opens and flags), which surefire gave it from the argLine
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-") && !a.startsWith("-Dbasedir") && !a.startsWith("-javaagent"))
                .map(SparkReadmeFiguresTest::quote).forEach(jvm::add);
        jvm.addAll(List.of("-cp", quote(System.getProperty("java.class.path"))));
        String nabla = String.join(" ", jvm) + " " + Main.class.getName();
        String spark = String.join(" ", jvm) + " " + NablaSpark.class.getName();
        Process process = new ProcessBuilder("python3", ROOT.resolve("tools").resolve("check-readme-figures").toString(),
                "--program", "nabla-spark", "--nabla", nabla, "--nabla-spark", spark)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                System.out.println("check-readme-figures: " + line);
                out.append(line).append('\n');
            }
        }
        int status = process.waitFor();
        Assumptions.assumeFalse(status == 0 && out.toString().strip().endsWith("nothing checked."), out::toString);
        assertEquals(0, status,
                "tools/check-readme-figures (status 1: a figure differs; 2: a command failed):\n" + out);
    }

    /** One word for Python's shlex.split: in single quotes, a single quote written as '"'"'. */
    private static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
