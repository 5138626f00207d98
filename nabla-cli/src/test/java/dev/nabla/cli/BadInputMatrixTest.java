package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command given every kind of bad input: each row is a command line, the exit status it must end with (2 for a
 * bad command line, 1 for bad data or a file that cannot be read or written) and words its message must hold (the
 * input it names, and what would be valid). Every row must also leave no stack trace, print nothing on standard
 * output, write or change no file, and allocate little: a size too large is refused before anything is allocated.
 * Files the rows use are made once ({@link BadInputFiles}); {@code {t}} in a row is their directory.
 */
class BadInputMatrixTest {
    /** More than refusing a command line or reading a small file needs; far less than any refused size. */
    private static final long ALLOCATION_LIMIT = 256L << 20;

    @TempDir
    static Path t;

    @BeforeAll
    static void files() throws IOException {
        BadInputFiles.make(t);
    }

    /** One command line, the status it must end with, and words its message must hold. */
    record Row(int status, String line, List<String> words) {
        String[] args() {
            return Arrays.stream(line.split(" +")).map(a -> a.equals("''") ? "" : a.replace("{t}", t.toString()))
                    .toArray(String[]::new);
        }

        @Override
        public String toString() {
            return line + "  →  " + status;
        }
    }

    /** A bad command line: status 2, picocli's message naming the flag, and where the help is. */
    private static Row usage(String line, String... words) {
        return new Row(2, line, List.of(words));
    }

    /** Bad data or a file that cannot be read or written: status 1 and one line. */
    private static Row failure(String line, String... words) {
        return new Row(1, line, List.of(words));
    }

    static Stream<Row> rows() {
        String mlp = "{t}/mlp/model.safetensors";
        return Stream.of(
                // train: flags
                usage("train --epoch 3", "'--epoch'"),
                usage("train --epochs three", "--epochs", "'three' is not a whole number"),
                usage("train --epochs 0", "--epochs", "at least 1"),
                usage("train --epochs -2", "--epochs", "at least 1"),
                usage("train --epochs 99999999999", "--epochs", "fits in 32 bits"),
                usage("train --hidden 0", "--hidden", "positive"),
                usage("train --hidden -8", "--hidden", "positive"),
                usage("train --hidden 8,,8", "--hidden"),
                usage("train --batch-size 0", "--batch-size", "at least 1"),
                usage("train --batch-size -64", "--batch-size", "at least 1"),
                usage("train --batch-size NaN", "--batch-size", "'NaN' is not a whole number"),
                usage("train --threads 0", "--threads", "at least 1"),
                usage("train --threads two", "--threads", "whole number"),
                usage("train --lr NaN", "--lr", "NaN"),
                usage("train --lr 0", "--lr", "0"),
                usage("train --lr -0.1", "--lr", "-0.1"),
                usage("train --lr Infinity", "--lr", "Infinity"),
                usage("train --lr 1e-3x", "--lr", "'1e-3x' is not a number"),
                usage("train --momentum 1", "--momentum", "[0, 1)"),
                usage("train --momentum NaN", "--momentum"),
                usage("train --weight-decay -1", "--weight-decay"),
                usage("train --dropout 1", "--dropout", "[0, 1)"),
                usage("train --dropout -0.5", "--dropout", "[0, 1)"),
                usage("train --clip-norm NaN", "--clip-norm"),
                usage("train --clip-value 0", "--clip-value"),
                usage("train --accumulate 0", "--accumulate", "at least 1"),
                usage("train --shards 0", "--shards", "at least 1"),
                usage("train --sync-batchnorm", "--sync-batchnorm", "add --shards N"),
                usage("train --shards 3 --batch-size 64", "--shards 3", "multiple of the shards", "e.g. 63"),
                usage("train --shards 2 --accumulate 2", "--accumulate", "--shards", "larger --batch-size"),
                usage("train --shards 4 --batch-size 4 --batchnorm", "--batchnorm", "one sample"),
                usage("train --monitor-every 0", "--monitor-every", "at least 1"),
                usage("train --checkpoint-every 0", "--checkpoint-every", "at least 1"),
                usage("train --seed 1.5", "--seed", "'1.5' is not a whole number"),
                usage("train --model transformer", "--model", "mlp, rnn, lstm, gru, cnn"),
                usage("train --activation swish", "--activation", "relu, sigmoid, tanh, leaky_relu"),
                usage("train --optimizer adamm", "--optimizer", "did you mean adam?"),
                usage("train --lr-schedule sawtooth", "--lr-schedule", "step:N"),
                usage("train --lr-schedule step:0", "--lr-schedule"),
                usage("train --loss hinge", "--loss", "cross_entropy"),
                usage("train --task regression --data {t}/few.csv --label-column c --loss huber:x", "huber"),
                usage("train --task ranking", "--task", "classification, regression"),
                usage("train --model cnn --channels 0", "--channels"),
                usage("train --early-stopping 3", "--early-stopping", "--val-fraction"),
                usage("train --detect-anomaly=maybe", "--detect-anomaly", "maybe"),
                usage("train --val-fraction 1", "--val-fraction", "between 0 and 1"),
                usage("train --data {t}/digits.csv --test-fraction 0", "--test-fraction", "between 0 and 1"),
                usage("train --data {t}/idx --classes 0", "--classes", "at least 1"),
                // train: sizes that do not fit, refused before allocating, with the memory they would need
                usage("train --hidden 2000000000", "--hidden", "more than a Java array holds"),
                usage("train --hidden 40000,40000 --epochs 1", "--hidden", "GiB"),
                usage("train --model lstm --hidden 1000000", "--hidden", "GiB"),
                usage("train --model cnn --channels 100000,100000", "--channels", "GiB"),
                // train: data and output files
                failure("train --data {t}/nosuch", "{t}/nosuch", "digits, fashion-mnist"),
                failure("train --data {t}/empty.csv", "{t}/empty.csv", "empty"),
                failure("train --data {t}/header-only.csv", "{t}/header-only.csv"),
                failure("train --data {t}/ragged.csv", "{t}/ragged.csv", "row 6", "cells"),
                failure("train --data {t}/nan.csv", "{t}/nan.csv", "NaN"),
                failure("train --data {t}/inf.csv", "{t}/inf.csv", "Infinity"),
                failure("train --data {t}/adir", "{t}/adir", "train-images-idx3-ubyte"),
                failure("train --data {t}/idx-truncated", "train-images-idx3-ubyte"),
                failure("train --data {t}/idx-labels-9 --classes 3", "--classes 3", "label"),
                failure("train --data {t}/digits.csv --test-data {t}/nosuch.csv", "{t}/nosuch.csv"),
                failure("train --data {t}/digits.csv --label-column digit", "digit", "label"),
                failure("train --data {t}/digits.csv --test-data {t}/few.csv", "{t}/few.csv"),
                failure("train --epochs 1 --hidden 4 --report {t}/notes.txt", "--report", "is a file", "directory"),
                failure("train --epochs 1 --hidden 4 --report {t}/notes.txt/sub/report", "--report", "cannot write"),
                failure("train --epochs 1 --hidden 4 --checkpoint {t}/notes.txt", "--checkpoint", "{t}/notes.txt",
                        "is a file", "directory"),
                failure("train --epochs 1 --hidden 4 --checkpoint {t}/notes.txt/run", "--checkpoint", "cannot write"),
                failure("train --data {t}/empty.csv --report {t}/new-report", "{t}/empty.csv"),
                failure("train --data {t}/nan.csv --checkpoint {t}/new-run", "{t}/nan.csv"),
                failure("train --resume {t}/adir", "{t}/adir", "checkpoint"),
                failure("train --resume {t}/half-run", "{t}/half-run"),
                failure("train --resume {t}/notes.txt", "{t}/notes.txt"),
                // eval
                usage("eval --model " + mlp + " --data digits --verbose", "'--verbose'"),
                usage("eval --data digits", "--model"),
                usage("eval --model " + mlp + " --threads 0", "--threads", "at least 1"),
                usage("eval --model " + mlp + " --threads -1", "--threads", "at least 1"),
                failure("eval --model {t}/nosuch.safetensors", "{t}/nosuch.safetensors", "no such file"),
                failure("eval --model {t}/empty.safetensors", "{t}/empty.safetensors"),
                failure("eval --model {t}/truncated.safetensors", "{t}/truncated.safetensors"),
                failure("eval --model {t}/corrupt.safetensors", "{t}/corrupt.safetensors"),
                failure("eval --model {t}/adir", "{t}/adir", "model.safetensors"),
                failure("eval --model {t}/notes.txt", "{t}/notes.txt"),
                failure("eval --model {t}/digits.csv", "{t}/digits.csv"),
                failure("eval --model " + mlp + " --data {t}/nosuch.csv", "{t}/nosuch.csv"),
                failure("eval --model " + mlp + " --data {t}/empty.csv", "{t}/empty.csv"),
                failure("eval --model " + mlp + " --data {t}/label-12.csv", "{t}/label-12.csv", "12"),
                failure("eval --model " + mlp + " --data {t}/nan.csv", "{t}/nan.csv", "NaN"),
                failure("eval --model " + mlp + " --data {t}/inf.csv", "{t}/inf.csv", "Infinity"),
                failure("eval --model " + mlp + " --data {t}/idx-truncated", "train-images-idx3-ubyte"),
                failure("eval --model " + mlp + " --data {t}/few.csv", "{t}/few.csv", "classes"),
                usage("eval --model " + mlp + " --data {t}/digits3.csv", "digits3.csv", "3 features", "64"),
                usage("eval --model {t}/few/model.safetensors --data digits", "--data digits", "64", "takes 3"),
                usage("eval --model {t}/lstm/model.safetensors --data {t}/digits3.csv", "digits3.csv", "64"),
                failure("eval --model " + mlp + " --data digits --report {t}/notes.txt", "--report", "{t}/notes.txt",
                        "is a file"),
                failure("eval --model " + mlp + " --data digits --report {t}/notes.txt/sub", "--report",
                        "cannot write"),
                // predict
                usage("predict --model " + mlp + " --input {t}/pixels.csv --topk 3", "'--topk'"),
                usage("predict --model " + mlp, "--input"),
                usage("predict --input {t}/pixels.csv", "--model"),
                usage("predict --model " + mlp + " --input {t}/pixels.csv --top 0", "--top", "at least 1"),
                usage("predict --model " + mlp + " --input {t}/pixels.csv --top -3", "--top", "at least 1"),
                usage("predict --model " + mlp + " --input {t}/pixels.csv --top many", "--top", "whole number"),
                usage("predict --model " + mlp + " --input {t}/pixels.csv --threads 0", "--threads", "at least 1"),
                failure("predict --model {t}/truncated.safetensors --input {t}/pixels.csv", "{t}/truncated"),
                failure("predict --model {t}/empty.safetensors --input {t}/pixels.csv", "{t}/empty.safetensors"),
                failure("predict --model {t}/corrupt.safetensors --input {t}/pixels.csv", "{t}/corrupt"),
                failure("predict --model " + mlp + " --input {t}/nosuch.csv", "{t}/nosuch.csv"),
                failure("predict --model " + mlp + " --input {t}/empty.csv", "{t}/empty.csv"),
                failure("predict --model " + mlp + " --input {t}/header-only.csv", "{t}/header-only.csv"),
                failure("predict --model " + mlp + " --input {t}/pixels-nan.csv", "{t}/pixels-nan.csv", "NaN"),
                failure("predict --model " + mlp + " --input {t}/pixels-inf.csv", "{t}/pixels-inf.csv", "Infinity"),
                failure("predict --model " + mlp + " --input {t}/few.csv", "{t}/few.csv", "64"),
                failure("predict --model {t}/lstm/model.safetensors --input {t}/digits3.csv", "{t}/digits3.csv", "64"),
                failure("predict --model {t}/lstm/model.safetensors --input {t}/bad-magic.idx", "{t}/bad-magic.idx"),
                failure("predict --model " + mlp + " --input {t}/bad.png", "{t}/bad.png"),
                failure("predict --model " + mlp + " --input {t}/truncated.idx", "{t}/truncated.idx"),
                failure("predict --model " + mlp + " --input {t}/bad-magic.idx", "{t}/bad-magic.idx"),
                failure("predict --model " + mlp + " --input {t}/adir", "{t}/adir"),
                usage("predict --model {t}/few/model.safetensors --input {t}/bad.png", "--input", "CSV"),
                failure("predict --model " + mlp + " --input {t}/pixels.csv --output {t}/notes.txt/out.csv",
                        "--output {t}/notes.txt/out.csv", "cannot write"),
                failure("predict --model " + mlp + " --input {t}/pixels.csv --output {t}/adir", "--output {t}/adir",
                        "file"),
                failure("predict --model " + mlp + " --input {t}/pixels-nan.csv --output {t}/notes.txt",
                        "{t}/pixels-nan.csv"),
                // inspect
                usage("inspect", "FILE"),
                usage("inspect " + mlp + " --tensors", "'--tensors'"),
                usage("inspect " + mlp + " " + mlp, mlp.replace("{t}", "")),
                failure("inspect {t}/nosuch.safetensors", "{t}/nosuch.safetensors", "give a safetensors file"),
                failure("inspect {t}/empty.safetensors", "{t}/empty.safetensors"),
                failure("inspect {t}/truncated.safetensors", "{t}/truncated.safetensors"),
                failure("inspect {t}/corrupt.safetensors", "{t}/corrupt.safetensors"),
                failure("inspect {t}/adir", "{t}/adir", "model.safetensors", "give a safetensors file"),
                failure("inspect {t}/digits.csv", "{t}/digits.csv"),
                failure("inspect {t}/half-run/checkpoint.safetensors", "{t}/half-run/checkpoint.safetensors"),
                // gradflow
                usage("gradflow --depht 5", "'--depht'"),
                usage("gradflow --depth 1", "--depth", "at least 2"),
                usage("gradflow --depth 0", "--depth", "at least 2"),
                usage("gradflow --depth -4", "--depth", "at least 2"),
                usage("gradflow --width 0", "--width", "at least 1"),
                usage("gradflow --width 2000000000", "--width", "Java array", "(14901161193.8 GiB)"),
                usage("gradflow --depth 3 --width 100000", "--width", "GiB"),
                usage("gradflow --depth 20 --width 20000", "--width", "GiB", "heap"),
                usage("gradflow --compare lstm --width 2000000000", "--width", "Java array", "GiB"),
                usage("gradflow --compare gru --width 30000", "--width", "GiB"),
                usage("gradflow --model cnn --channels 100000,100000", "--channels", "GiB"),
                usage("gradflow --steps 0", "--steps", "at least 1"),
                usage("gradflow --batch-size 0", "--batch-size", "at least 1"),
                usage("gradflow --threads 0", "--threads", "at least 1"),
                usage("gradflow --lr NaN", "--lr"),
                usage("gradflow --compare bogus", "--compare", "bogus"),
                usage("gradflow --compare ''", "--compare"),
                usage("gradflow --compare relu,init=wrong", "--compare", "wrong"),
                failure("gradflow --depth 2 --width 4 --steps 1 --data {t}/empty.csv", "{t}/empty.csv"),
                failure("gradflow --depth 2 --width 4 --steps 1 --data {t}/nan.csv", "{t}/nan.csv", "NaN"),
                failure("gradflow --depth 2 --width 4 --steps 1 --report {t}/notes.txt", "--report", "is a file"),
                failure("gradflow --depth 2 --width 4 --steps 1 --report {t}/notes.txt/sub", "--report"),
                // softmax
                usage("softmax", "--logits"),
                usage("softmax --logits 1,abc", "--logits", "abc"),
                usage("softmax --logits ''", "--logits"),
                usage("softmax --logits NaN,1", "--logits", "NaN"),
                usage("softmax --logits Infinity,1", "--logits", "Infinity"),
                usage("softmax --logits -Infinity,-Infinity", "--logits"),
                usage("softmax --logits 1,2,3 --target 3", "--target", "0", "2"),
                usage("softmax --logits 1,2,3 --target -1", "--target"),
                usage("softmax --logits 1,2,3 --temperature 0", "--temperature"),
                usage("softmax --logits 1,2,3 --temperature NaN", "--temperature"),
                usage("softmax --logits 1,2,3 --label-smoothing 2 --target 0", "--label-smoothing", "[0, 1]"),
                usage("softmax --logits 1,2,3 --label-smoothing 0.1", "--label-smoothing", "--target"),
                usage("softmax --logits 1,2,3 --jacobain", "'--jacobain'"),
                // bench
                usage("bench mlp --threads 0 --warmup 0 --blocks 1 --steps-per-block 1", "--threads", "at least 1"),
                usage("bench mlp --threads 999 --batch 2 --warmup 0 --blocks 1 --steps-per-block 1", "--threads",
                        "999", "cores"),
                usage("bench mlp --batch 0 --warmup 0 --blocks 1 --steps-per-block 1", "--batch", "at least 1"),
                usage("bench mlp --blocks -1 --warmup 0 --steps-per-block 1", "--blocks", "at least 1"),
                usage("bench mlp --warmup -1 --blocks 1 --steps-per-block 1", "--warmup", "0 or more"),
                usage("bench mlp --steps-per-block 0 --warmup 0 --blocks 1", "--steps-per-block", "at least 1"),
                usage("bench mlp --batch 2000000000 --warmup 0 --blocks 1 --steps-per-block 1", "--batch",
                        "Java array"),
                usage("bench cnn --batch -5 --warmup 0 --blocks 1 --steps-per-block 1", "--batch", "at least 1"),
                usage("bench deep --time-variants bogus --warmup 0 --blocks 1 --steps-per-block 1", "--time-variants",
                        "bogus"),
                usage("bench lstm --time-models bogus --warmup 0 --blocks 1 --steps-per-block 1", "--time-models",
                        "bogus"),
                usage("bench gemm --m 0 --k 1 --n 1", "--m", "at least 1"),
                usage("bench gemm --m 100000 --k 100000 --n 100000 --repeats 1 --min-time 0.001", "--m", "GiB"),
                usage("bench gemm --op axb --m 2 --k 2 --n 2 --repeats 1 --min-time 0.001", "--op", "ab, atb or abt"),
                usage("bench gemm --min-time NaN --m 2 --k 2 --n 2 --repeats 1", "--min-time"),
                usage("bench gemm --repeats 0 --m 2 --k 2 --n 2 --min-time 0.001", "--repeats", "at least 1"),
                usage("bench peak --min-time -1 --repeats 1", "--min-time"),
                usage("bench io --mb 0 --repeats 1", "--mb", "at least 1"),
                usage("bench io --mb 100000000 --repeats 1", "--mb", "GiB"),
                usage("bench fmnist --epochs 0", "--epochs", "at least 1"),
                usage("bench fmnist --opt bogus", "--opt", "adam", "sgd"),
                failure("bench fmnist --epochs 1 --data {t}/adir", "{t}/adir"),
                usage("bench nosuch", "nosuch", "mlp, deep, lstm, cnn, gemm, fmnist, peak, io"),
                // demo
                usage("demo --sample 4", "'--sample'"),
                usage("demo --samples 0", "--samples", "at least 1"),
                usage("demo --samples -1", "--samples"),
                usage("demo --seed abc", "--seed", "whole number"),
                usage("demo --threads 0", "--threads", "at least 1"),
                usage("demo --threads -2", "--threads", "at least 1"),
                usage("demo --samples many", "--samples", "whole number"),
                usage("demo --seed 1.5", "--seed", "whole number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void isRefusedInOneClearMessageWithoutTouchingAFile(Row row) {
        Map<String, String> before = snapshot();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        CliTest.Result r = CliTest.run(row.args());
        allocated = threads.getCurrentThreadAllocatedBytes() - allocated;
        String err = r.err();
        String shown = "\nstderr:\n" + err + "stdout:\n" + r.out();
        assertEquals(row.status(), r.status(), shown);
        for (String trace : List.of("Exception", "\tat ", "java.", "Error:")) {
            assertFalse(err.contains(trace), "a stack trace or class name: " + shown);
        }
        List<String> lines = err.lines().toList();
        assertTrue(lines.getFirst().startsWith("nabla: "), shown);
        if (row.status() == 1) {
            assertEquals(1, lines.size(), "one line: " + shown);
        } else {
            assertTrue(lines.size() <= 3, shown);
            assertTrue(lines.getLast().matches("'nabla [a-z ]+ --help' lists the options\\."), shown);
        }
        for (String word : row.words()) {
            String w = word.replace("{t}", t.toString());
            assertTrue(lines.getFirst().contains(w), "'" + w + "' missing: " + shown);
        }
        assertEquals("", r.out(), "nothing on standard output");
        assertEquals(before, snapshot(), "no file written, changed or left behind");
        assertTrue(allocated < ALLOCATION_LIMIT, (allocated >> 20) + " MiB allocated before the refusal");
    }

    @Test
    void aBatchLargerThanTheTrainingDataIsOneBatchOfAllOfIt() {
        CliTest.Result r = CliTest.run("train", "--hidden", "4", "--epochs", "1", "--batch-size", "100000");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("batch 1,437 (--batch-size 100,000 is more than the 1,437 training samples: one "
                + "batch per epoch)"), r.out());
    }

    @Test
    void moreThreadsThanCoresRunOnTheCoresWithANote() {
        CliTest.Result r = CliTest.run("eval", "--model", t.resolve("mlp").toString(), "--threads", "999");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().startsWith("nabla: --threads 999 is more than the "), r.err());
        assertTrue(r.out().contains("accuracy"), r.out());
    }

    @Test
    void theMatrixCoversEveryCommandWithEnoughRows() {
        List<Row> rows = rows().toList();
        assertTrue(rows.size() >= 90, rows.size() + " rows");
        for (String command : List.of("train", "eval", "predict", "inspect", "gradflow", "softmax", "bench", "demo")) {
            assertTrue(rows.stream().filter(r -> r.line().startsWith(command)).count() >= 6, command);
        }
    }

    /** Every file and directory under {@code t}, with a digest of each file's bytes. */
    private static Map<String, String> snapshot() {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(t)) {
            for (Path p : walk.toList()) {
                files.put(t.relativize(p).toString(), Files.isDirectory(p) ? "dir" : digest(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static String digest(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
