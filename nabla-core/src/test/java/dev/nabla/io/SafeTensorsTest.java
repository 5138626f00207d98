package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void writesWhatItReadsBackBitForBit() throws IOException {
        Tensor w = Tensor.of(new float[] {1.5f, -0f, Float.MIN_VALUE, 3e38f, 0.1f, -2f}, 2, 3);
        Tensor scalar = Tensor.scalar(7f);
        Path file = dir.resolve("m.safetensors");
        SafeTensors.writer().metadata("k", "v").add("w", w).add("s", scalar)
                .addInt64("n", new long[] {1L << 40}).addFloat64("d", new double[] {0.1, 1e300}).write(file);
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            assertEquals(List.of("w", "s", "n", "d"), List.copyOf(in.entries().keySet()));
            assertEquals(Map.of("k", "v"), in.metadata());
            assertArrayEquals(w.data(), in.tensor("w").data());
            assertEquals(w.shape(), in.tensor("w").shape());
            assertEquals(0, in.tensor("s").shape().rank());
            assertEquals(7f, in.tensor("s").item());
            assertArrayEquals(new long[] {1L << 40}, in.longs("n"));
            assertArrayEquals(new double[] {0.1, 1e300}, in.doubles("d"));
            assertEquals(DType.I64, in.entries().get("n").dtype());
            assertEquals(List.of(), in.conversions());
        }
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the header is padded to 8 bytes, as the reference writer does");
    }

    @Test
    void aTensorLargerThanOneMappingIsReadInParts() throws IOException {
        // the reader maps at most 1 GiB at once; here 8 and 24 bytes, so that 37 values take several parts
        float[] values = new float[37];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.37f - 3;
        }
        Path file = dir.resolve("parts.safetensors");
        SafeTensors.writer().add("w", Tensor.of(values, 37)).addInt64("n", new long[] {5, 6, 7}, 3).write(file);
        for (long chunk : new long[] {8, 24}) {
            try (SafeTensorsFile in = SafeTensors.open(file, chunk)) {
                assertArrayEquals(values, in.tensor("w").data(), "chunks of " + chunk + " bytes");
                assertArrayEquals(new float[] {5, 6, 7}, in.tensor("n").data());
            }
        }
    }

    @Test
    void readsEveryDtypeAndSaysWhenAConversionLosesPrecision() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(8 * 2 + 4 + 2 + 2 + 8 + 4 + 2 + 1 + 1 + 1).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(0.1).putDouble(0.5);              // F64 [2]: 0.1 rounds, 0.5 does not
        data.putFloat(2.5f);                               // F32
        data.putShort(Float.floatToFloat16(-1.5f));        // F16
        data.putShort((short) (Float.floatToIntBits(3.0f) >>> 16));  // BF16
        data.putLong((1L << 24) + 1);                      // I64 beyond 2^24: rounds
        data.putInt(-7);                                   // I32
        data.putShort((short) -300);                       // I16
        data.put((byte) -5);                               // I8
        data.put((byte) 200);                              // U8
        data.put((byte) 1);                                // BOOL
        String header = "{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[16,20]},"
                + "\"c\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[20,22]},"
                + "\"d\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[22,24]},"
                + "\"e\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[24,32]},"
                + "\"f\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[32,36]},"
                + "\"g\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[36,38]},"
                + "\"h\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[38,39]},"
                + "\"i\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[39,40]},"
                + "\"j\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[40,41]}}";
        Path file = write(header, data.array());
        try (SafeTensorsFile in = SafeTensors.open(file)) {
            assertArrayEquals(new float[] {0.1f, 0.5f}, in.tensor("a").data());
            assertEquals(2.5f, in.tensor("b").item());
            assertEquals(-1.5f, in.tensor("c").data()[0]);
            assertEquals(3.0f, in.tensor("d").data()[0]);
            assertEquals((float) ((1L << 24) + 1), in.tensor("e").data()[0]);
            assertEquals(-7f, in.tensor("f").data()[0]);
            assertEquals(-300f, in.tensor("g").data()[0]);
            assertEquals(-5f, in.tensor("h").data()[0]);
            assertEquals(200f, in.tensor("i").data()[0]);
            assertEquals(1f, in.tensor("j").data()[0]);
            assertArrayEquals(new long[] {(1L << 24) + 1}, in.longs("e"));
            assertEquals(List.of("'a' (F64): 1 of 2 values rounded to float32",
                    "'e' (I64): 1 of 1 values beyond 2^24, rounded to float32"), in.conversions());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        header length 2^63      | -9223372036854775808 | | declares a header of 9223372036854775808 bytes, beyond the limit of 100000000
        header past the end     | 4096 | | declares a header of 4096 bytes, but the file has
        not JSON                | 0 | {"a": | has a header that is not valid JSON
        not an object at all    | 0 | [1,2] | has a header that does not start with '{'
        unknown dtype           | 0 | {"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}} | tensor 'a' has dtype "F8", which is not one of F64, F32
        negative size           | 0 | {"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}} | tensor 'a' has shape [-1]: every size must be a non-negative integer
        offsets reversed        | 0 | {"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}} | tensor 'a' has data_offsets [4,0]
        size mismatch           | 0 | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}} | tensor 'a' is F32 of shape [2], 8 bytes, but its data_offsets [0, 4] span 4 bytes
        offsets past the end    | 0 | {"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}} | holds 8 bytes of data after its header, but its tensors need 16: it is truncated
        overlapping tensors     | 0 | {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}} | tensor 'b' starts at byte 4 of the data, inside tensor 'a' [0, 8]: tensors must not overlap
        a hole                  | 0 | {"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}} | tensor 'a' starts at byte 4 of the data, but the data starts at byte 0: the format leaves no holes
        bytes nobody owns       | 0 | {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} | its tensors end at byte 4: bytes follow that no tensor owns
        duplicate names         | 0 | {"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}} | Duplicate field 'a'
        metadata not strings    | 0 | {"__metadata__":{"x":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} | has __metadata__ entry 'x' that is not a string
        huge shape              | 0 | {"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}} | more bytes than a file can hold
        """)
    void refusesABrokenFileNamingTheProblem(String what, long declaredLength, String header, String expected)
            throws IOException {
        byte[] json = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(declaredLength != 0 ? declaredLength : json.length).put(json).putLong(0);
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, bytes.array());
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void refusesAFileShorterThanItsHeaderLength() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(file));
        assertEquals(file + " is 3 bytes, shorter than the 8-byte header length every safetensors file starts with: "
                + "it is truncated or not a safetensors file", e.getMessage());
    }

    @Test
    void refusesAHeaderThatIsNotUtf8() throws IOException {
        Path file = write(null, new byte[0], new byte[] {'{', (byte) 0xff, '}'});
        var e = assertThrows(SafeTensorsException.class, () -> SafeTensors.open(file));
        assertTrue(e.getMessage().endsWith("has a header that is not valid UTF-8: it is corrupt or not a safetensors "
                + "file"), e.getMessage());
    }

    @Test
    void everyTruncationOfAValidFileIsRefused() throws IOException {
        Path good = dir.resolve("good.safetensors");
        SafeTensors.writer().add("w", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)).addInt64("n", new long[] {3})
                .write(good);
        byte[] bytes = Files.readAllBytes(good);
        for (int cut = 0; cut < bytes.length; cut++) {
            Path file = dir.resolve("cut" + cut);
            Files.write(file, java.util.Arrays.copyOf(bytes, cut));
            assertThrows(SafeTensorsException.class, () -> SafeTensors.open(file).close(), "cut at " + cut);
        }
    }

    @Test
    void aFailedWriteLeavesThePreviousFile() throws IOException {
        Path file = dir.resolve("m.safetensors");
        SafeTensors.writer().add("w", Tensor.of(new float[] {1}, 1)).write(file);
        byte[] before = Files.readAllBytes(file);
        assertThrows(IOException.class, () -> AtomicFiles.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            throw new IOException("disk full");
        }));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    private Path write(String header, byte[] data) throws IOException {
        return write(header, data, header.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String ignored, byte[] data, byte[] json) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(json.length).put(json).put(data);
        Path file = dir.resolve("f" + System.nanoTime() + ".safetensors");
        Files.write(file, bytes.array());
        return file;
    }
}
