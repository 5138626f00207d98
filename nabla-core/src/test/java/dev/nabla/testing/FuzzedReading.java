package dev.nabla.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the fuzz tests of the readers of outside data (the {@code *FuzzTest} classes) share: one scratch file per
 * JVM and suffix to hand fuzzed bytes to a reader that takes a path, and the contract every reader must keep on any
 * input: a result, or one of its documented exceptions with a message that says something. Anything else (a
 * NullPointerException, an index out of bounds, an OutOfMemoryError, a blank message) escapes as a finding.
 */
public final class FuzzedReading {
    private static final Map<String, Path> SCRATCH = new ConcurrentHashMap<>();

    private FuzzedReading() {
    }

    /** A reading that may throw anything. */
    @FunctionalInterface
    public interface Reading {
        /** Reads the input once, throwing what the reader throws. */
        void read() throws Exception;
    }

    /**
     * {@code bytes} written to this JVM's scratch file ending in {@code suffix} (the same file every call, so a
     * long fuzzing run does not litter the temporary directory).
     */
    public static Path file(String suffix, byte[] bytes) {
        Path file = SCRATCH.computeIfAbsent(suffix, s -> {
            try {
                Path p = Files.createTempFile("nabla-fuzz-", s);
                p.toFile().deleteOnExit();
                return p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code reading}; returns normally when it returns or throws one of {@code documented} with a message
     * that is not blank. Any other throwable is rethrown as it is (so the fuzzer tells findings apart by their
     * stack), a documented one with a blank message as an AssertionError.
     */
    public static void resultOrDocumented(Reading reading, Class<?>... documented)
            throws Exception {
        try {
            reading.read();
        } catch (Exception e) {
            if (Arrays.stream(documented).noneMatch(c -> c.isInstance(e))) {
                throw e;
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("a " + e.getClass().getName() + " without a message", e);
            }
        }
    }
}
