package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The files the bad-input matrix hands to the commands, made once in a directory: real models (an MLP, an LSTM and
 * a model of three CSV columns, each trained for one epoch), and broken copies of them and of data files.
 *
 * <p>Rows name them as {@code {t}/NAME}: {@code mlp/model.safetensors}, {@code lstm/model.safetensors},
 * {@code few/model.safetensors}, {@code empty.safetensors}, {@code truncated.safetensors},
 * {@code corrupt.safetensors}, {@code half-run/} (a run whose checkpoint is cut short), {@code digits.csv},
 * {@code few.csv}, {@code empty.csv}, {@code header-only.csv}, {@code ragged.csv}, {@code nan.csv}, {@code inf.csv},
 * {@code label-12.csv}, {@code pixels.csv} (the 64 pixel columns alone, as predict reads them),
 * {@code pixels-nan.csv}, {@code pixels-inf.csv}, {@code digits3.csv} (three pixel columns and the label), {@code idx/} (four good IDX files), {@code idx-truncated/}, {@code idx-labels-9/} (labels up
 * to 9), {@code truncated.idx}, {@code bad-magic.idx}, {@code bad.png}, {@code notes.txt} (an existing file),
 * {@code adir/} (an empty directory).
 */
final class BadInputFiles {
    /** What {@code notes.txt} holds, and must still hold after every row. */
    static final String NOTES = "my notes: do not overwrite\n";

    private BadInputFiles() {
    }

    static void make(Path t) throws IOException {
        train(t, "mlp", "--data", "digits", "--hidden", "8");
        train(t, "lstm", "--data", "digits", "--model", "lstm", "--hidden", "4");
        Files.writeString(t.resolve("few.csv"), few());
        train(t, "few", "--data", t.resolve("few.csv").toString(), "--hidden", "4");

        byte[] model = Files.readAllBytes(t.resolve("mlp/model.safetensors"));
        Files.write(t.resolve("empty.safetensors"), new byte[0]);
        Files.write(t.resolve("truncated.safetensors"), Arrays.copyOf(model, model.length / 2));
        ByteBuffer corrupt = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        corrupt.putLong(40).put("{\"weight\": [this is not JSON at all]}   ".getBytes(StandardCharsets.US_ASCII));
        Files.write(t.resolve("corrupt.safetensors"), corrupt.array());
        Path halfRun = Files.createDirectories(t.resolve("half-run"));
        Files.write(halfRun.resolve("model.safetensors"), model);
        byte[] checkpoint = Files.readAllBytes(t.resolve("mlp/checkpoint.safetensors"));
        Files.write(halfRun.resolve("checkpoint.safetensors"), Arrays.copyOf(checkpoint, checkpoint.length / 3));

        String digits = digitsCsv(40);
        Files.writeString(t.resolve("digits.csv"), digits);
        Files.writeString(t.resolve("empty.csv"), "");
        Files.writeString(t.resolve("header-only.csv"), digits.substring(0, digits.indexOf('\n') + 1));
        Files.writeString(t.resolve("ragged.csv"), digits.substring(0, digits.indexOf('\n', 2000) - 30) + "\n");
        String[] lines = digits.split("\n");
        Files.writeString(t.resolve("nan.csv"), withCell(lines, 3, 5, "NaN"));
        Files.writeString(t.resolve("inf.csv"), withCell(lines, 4, 7, "Infinity"));
        Files.writeString(t.resolve("label-12.csv"), withCell(lines, 2, 64, "12"));
        String[] pixels = Arrays.stream(lines).map(l -> l.substring(0, l.lastIndexOf(','))).toArray(String[]::new);
        Files.writeString(t.resolve("pixels.csv"), String.join("\n", pixels) + "\n");
        Files.writeString(t.resolve("pixels-nan.csv"), withCell(pixels, 3, 5, "NaN"));
        Files.writeString(t.resolve("pixels-inf.csv"), withCell(pixels, 4, 7, "-Infinity"));
        Files.writeString(t.resolve("digits3.csv"), Arrays.stream(lines).map(l -> String.join(",",
                Arrays.asList(l.split(",")).subList(20, 23)) + l.substring(l.lastIndexOf(',')))
                .reduce("", (a, b) -> a + b + "\n"));

        Dataset train = Digits.train();
        Path idx = Files.createDirectories(t.resolve("idx"));
        writeIdx(idx, train, 40, 20);
        Path truncated = Files.createDirectories(t.resolve("idx-truncated"));
        writeIdx(truncated, train, 40, 20);
        byte[] images = Files.readAllBytes(truncated.resolve("train-images-idx3-ubyte"));
        Files.write(truncated.resolve("train-images-idx3-ubyte"), Arrays.copyOf(images, images.length - 100));
        Files.write(t.resolve("truncated.idx"), Arrays.copyOf(images, images.length - 100));
        byte[] badMagic = images.clone();
        badMagic[2] = 0x42;
        Files.write(t.resolve("bad-magic.idx"), badMagic);
        writeIdx(Files.createDirectories(t.resolve("idx-labels-9")), train, 40, 20);

        Files.writeString(t.resolve("bad.png"), "this is not a PNG image\n");
        Files.writeString(t.resolve("notes.txt"), NOTES);
        Files.createDirectories(t.resolve("adir"));
    }

    private static void train(Path t, String run, String... data) {
        String[] args = Stream.concat(Stream.of("train", "--epochs", "1", "--checkpoint",
                t.resolve(run).toString()), Arrays.stream(data)).toArray(String[]::new);
        CliTest.Result r = CliTest.run(args);
        assertEquals(0, r.status(), String.join(" ", args) + ": " + r.err());
    }

    /** 40 rows of three numeric columns and a class a, b or c. */
    private static String few() {
        StringBuilder sb = new StringBuilder("a,b,c,kind\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 7).append(',').append(i % 5 * 0.5).append(',').append(i * 0.1).append(',')
                    .append("abc".charAt(i % 3)).append('\n');
        }
        return sb.toString();
    }

    /** The first {@code n} training digits: 64 pixel columns px0..px63 and a label column, the class index. */
    private static String digitsCsv(int n) {
        Dataset all = Digits.train();
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < 64; j++) {
            sb.append("px").append(j).append(',');
        }
        sb.append("label\n");
        int[] first = new int[n];
        Arrays.setAll(first, i -> i);
        Tensor x = all.batch(first).x();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 64; j++) {
                sb.append(x.data()[i * 64 + j]).append(',');
            }
            sb.append(all.label(i)).append('\n');
        }
        return sb.toString();
    }

    /** The CSV of {@code lines} with the cell at data row {@code row} (from 1), column {@code column} replaced. */
    private static String withCell(String[] lines, int row, int column, String value) {
        String[] copy = lines.clone();
        String[] cells = copy[row].split(",");
        cells[column] = value;
        copy[row] = String.join(",", cells);
        return String.join("\n", copy) + "\n";
    }

    /** The four IDX files of {@code train} and {@code test} samples of the digits, pixels 0-255. */
    private static void writeIdx(Path dir, Dataset digits, int train, int test) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), images(digits, 0, train));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels(digits, 0, train));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), images(digits, train, test));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), labels(digits, train, test));
    }

    private static byte[] images(Dataset digits, int from, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(count);
        out.writeInt(8);
        out.writeInt(8);
        int[] rows = new int[count];
        Arrays.setAll(rows, i -> from + i);
        float[] x = digits.batch(rows).x().data();
        float max = 0;
        for (float v : x) {
            max = Math.max(max, v);
        }
        for (float v : x) {
            out.writeByte(Math.round(v / max * 255));
        }
        return bytes.toByteArray();
    }

    private static byte[] labels(Dataset digits, int from, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeByte(digits.label(from + i));
        }
        return bytes.toByteArray();
    }
}
