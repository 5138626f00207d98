package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.io.Checkpoint;
import dev.nabla.io.SafeTensors;
import dev.nabla.io.SafeTensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL at random moments, and resumed each time from its checkpoint, ends with the
 * weights of a run that was never interrupted, bit for bit; and no checkpoint on disk is ever unreadable.
 */
class ResumeAfterKillTest {
    private static final List<String> TRAIN = List.of("train", "--data", "digits", "--hidden", "32", "--batchnorm",
            "--optimizer", "adam", "--lr", "0.01", "--epochs", "100", "--seed", "4", "--threads", "2");

    @TempDir
    Path dir;

    @Test
    void killedAndResumedRunsEndWithTheUninterruptedWeights() throws Exception {
        Path reference = dir.resolve("reference");
        List<String> args = new ArrayList<>(TRAIN);
        args.addAll(List.of("--checkpoint", reference.toString()));
        CliTest.Result straight = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, straight.status(), straight.err());

        Path killed = dir.resolve("killed");
        Random random = new Random(20261204);
        int kills = 0;
        int resumes = 0;
        for (int attempt = 0; attempt < 12; attempt++) {
            boolean started = Files.exists(killed.resolve(Checkpoint.STATE));
            List<String> command = new ArrayList<>(started ? List.of("train", "--resume", killed.toString())
                    : withCheckpoint(killed));
            // kill until three resumed runs have been killed: a kill that lands before the first checkpoint (a slow
            // start) leaves nothing to resume, and the next run starts afresh
            boolean kill = resumes < 3 || kills < 3;
            FileTime before = written(killed);
            Process p = start(command);
            if (kill) {
                // the kill lands at a random moment after the run wrote a checkpoint of its own, however long the JVM
                // took to start (seconds on a loaded machine)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (p.isAlive() && Objects.equals(written(killed), before) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                long wait = random.nextInt(1500);
                if (!p.waitFor(wait, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();   // SIGKILL on Linux: no shutdown hook, no flush
                    kills++;
                }
                p.waitFor(30, TimeUnit.SECONDS);
                resumes += started ? 1 : 0;
                checkReadable(killed);
                if (p.exitValue() == 0) {
                    break;   // it finished before the kill
                }
                continue;
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the last resume did not finish");
            String output = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), output);
            assertTrue(output.contains("resume " + killed), output);
            resumes++;
            break;
        }
        assertTrue(kills >= 3, "only " + kills + " kills landed during training; the run is too short to test");
        assertTrue(resumes >= 3, resumes + " resumes");
        assertEquals(tensors(reference.resolve(Checkpoint.MODEL)).keySet(),
                tensors(killed.resolve(Checkpoint.MODEL)).keySet());
        Map<String, float[]> expected = tensors(reference.resolve(Checkpoint.MODEL));
        Map<String, float[]> actual = tensors(killed.resolve(Checkpoint.MODEL));
        expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name));

        CliTest.Result again = CliTest.run("train", "--resume", killed.toString());
        assertEquals(1, again.status());
        assertTrue(again.err().contains("is complete: all 100 epochs were trained, so there is nothing to resume"),
                again.err());
    }

    /** When the checkpoint in {@code dir} was last written, or null when there is none. */
    private static FileTime written(Path dir) throws IOException {
        Path state = dir.resolve(Checkpoint.STATE);
        try {
            return Files.getLastModifiedTime(state);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static List<String> withCheckpoint(Path dir) {
        List<String> args = new ArrayList<>(TRAIN);
        args.addAll(List.of("--checkpoint", dir.toString(), "--checkpoint-every", "7"));
        return args;
    }

    private static Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    /** Every file a checkpoint directory holds opens and validates (none is ever half-written). */
    private static void checkReadable(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                assertTrue(f.getFileName().toString().endsWith(".safetensors") || f.getFileName().toString()
                        .startsWith("."), "unexpected file " + f);
                if (!f.getFileName().toString().startsWith(".")) {
                    tensors(f);
                }
            }
        }
        if (Files.exists(dir.resolve(Checkpoint.STATE))) {
            assertTrue(Checkpoint.config(dir).containsKey("args"));
        }
    }

    private static Map<String, float[]> tensors(Path file) throws IOException {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            for (String name : in.entries().keySet()) {
                out.put(name, in.tensor(name).data());
            }
        }
        return out;
    }
}
