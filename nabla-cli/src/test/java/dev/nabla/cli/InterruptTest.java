package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ctrl-C in a real process: the JVM's signal handling cannot be had in-process. */
class InterruptTest {
    @Test
    void ctrlCDuringTrainingSaysWhereTrainingStoppedAndWhatWasSaved() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-modules", "jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "train", "--epochs", "1000",
                "--hidden", "64").redirectErrorStream(true).start();
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("epoch    2/1000")) {
                    signal("INT", p.pid());
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out.toString());
        assertEquals(130, p.exitValue(), out.toString());
        assertTrue(out.toString().matches("(?s).*\ninterrupted in epoch \\d+ of 1000, after step \\d+ of 23 \\([\\d,]+ "
                + "steps in all\\); nothing was saved\\.\n"), out.toString());
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(List.of("kill", "-" + name, Long.toString(pid))).inheritIO().start();
        assertEquals(0, kill.waitFor());
    }
}
