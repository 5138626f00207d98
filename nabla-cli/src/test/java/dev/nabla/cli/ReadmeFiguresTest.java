package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every result figure the README publishes is what its command gives now: {@code tools/check-readme-figures}
 * reruns the commands listed in the README's figure comments and compares. The commands run on the classes under
 * test (this JVM's class path, in a JVM of their own with the launcher's settings), so the test needs no
 * packaged jar. A change that moves a figure, such as a kernel that rounds differently, fails here until the
 * README says what the code gives.
 *
 * <p>Skipped, saying so, when there is no {@code python3}, or when the README publishes no figures for this
 * machine's vector width (the last bits of a run depend on it: see the README).
 */
@Tag("integration")
class ReadmeFiguresTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyFigureInTheReadmeIsWhatItsCommandGives() throws Exception {
        Optional<Path> python = onPath("python3");
        Assumptions.assumeTrue(python.isPresent(), "no python3 on the PATH: tools/check-readme-figures not run");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String nabla = String.join(" ", quote(java), "--add-modules", "jdk.incubator.vector", "-XX:+UseSerialGC",
                "-Xmn96m", "-XX:SurvivorRatio=1", "-cp", quote(System.getProperty("java.class.path")),
                Main.class.getName());
        Process process = new ProcessBuilder(python.get().toString(),
                ROOT.resolve("tools").resolve("check-readme-figures").toString(), "--program", "nabla", "--nabla", nabla)
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

    /** The executable {@code name} on the PATH, if there is one. */
    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** One word for Python's shlex.split: in single quotes, a single quote written as '"'"'. */
    private static String quote(String word) {
        return "'" + word.replace("'", "'\"'\"'") + "'";
    }
}
