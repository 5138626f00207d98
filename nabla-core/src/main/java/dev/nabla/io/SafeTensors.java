package dev.nabla.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the safetensors format (the Hugging Face specification, which PyTorch users save models in):
 * an 8-byte little-endian header length N, N bytes of UTF-8 JSON that map each tensor's name to its {@code dtype},
 * {@code shape} and {@code data_offsets} (begin and end within the data, which follows the header), with an
 * optional {@code __metadata__} map of strings, then the tensors' raw little-endian bytes.
 *
 * <p><b>Reading</b> ({@link #open}) validates the file as the reference implementation does before anything is
 * read: the header length within the file and at most {@link #MAX_HEADER_BYTES}, the header valid UTF-8 JSON with
 * no name twice, every dtype known, every byte size equal to the element size times the shape's product, and the
 * tensors tiling the data from its first byte to the file's last without overlaps or holes. A file that fails
 * gets a {@link SafeTensorsException} naming the file, the tensor and what is wrong. Tensors are then
 * memory-mapped one at a time, never read whole into the heap, and converted to float32 (see {@link DType}).
 *
 * <p><b>Writing</b> ({@link #writer()}) produces float32 tensors, and int64 ones for counts (PyTorch's
 * {@code num_batches_tracked}, an optimizer's step), in the order they were added, the header padded with spaces
 * to a multiple of 8 bytes as the reference writer does, atomically ({@link AtomicFiles}), streaming the data through
 * a small buffer so that a large model is never copied whole.
 */
public final class SafeTensors {
    /** The largest header accepted, in bytes: the reference implementation's limit (100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000;
    /** The header's key for the string map of metadata. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final int CHUNK = 1 << 20;
    /** The most bytes of a tensor mapped at once when reading: 1 GiB, a multiple of every element size. */
    static final long MAP_CHUNK = 1L << 30;

    private SafeTensors() {
    }

    /** One tensor of a file, as its header describes it. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        /** The number of elements: the product of the shape (1 for a scalar). */
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        /** The shape as the header writes it, e.g. {@code [64, 784]}. */
        public String shapeText() {
            return java.util.Arrays.toString(shape);
        }
    }

    /**
     * Opens and validates {@code file}; its tensors are read when asked for. Close it when done.
     *
     * @throws SafeTensorsException naming the file and, where one is at fault, the tensor
     * @throws IOException          when the file cannot be read at all
     */
    public static SafeTensorsFile open(Path file) throws IOException {
        return open(file, MAP_CHUNK);
    }

    /** {@link #open(Path)}, mapping at most {@code chunkBytes} (a multiple of 8) of a tensor at once. */
    static SafeTensorsFile open(Path file, long chunkBytes) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return read(file, channel, chunkBytes);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static SafeTensorsFile read(Path file, FileChannel channel, long chunkBytes) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafeTensorsException(file, "is " + size + " bytes, shorter than the 8-byte header length "
                    + "every safetensors file starts with: it is truncated or not a safetensors file");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafeTensorsException(file, "declares a header of " + Long.toUnsignedString(headerLength)
                    + " bytes, beyond the limit of " + MAX_HEADER_BYTES + ": it is corrupt or not a safetensors file");
        }
        if (8 + headerLength > size) {
            throw new SafeTensorsException(file, "declares a header of " + headerLength + " bytes, but the file has "
                    + (size - 8) + " after the header length: it is truncated or not a safetensors file");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8);
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBytes.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new SafeTensorsException(file, "has a header that is not valid UTF-8: it is corrupt or not a "
                    + "safetensors file");
        }
        if (!header.startsWith("{")) {
            throw new SafeTensorsException(file, "has a header that does not start with '{': it is corrupt or not a "
                    + "safetensors file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "has a header that is not valid JSON (" + e.getOriginalMessage()
                    + "): it is corrupt or not a safetensors file");
        }
        if (!(root instanceof ObjectNode object)) {
            throw new SafeTensorsException(file, "has a header that is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(file, field.getValue(), metadata);
            } else {
                entries.add(entry(file, field.getKey(), field.getValue()));
            }
        }
        long dataStart = 8 + headerLength;
        checkLayout(file, entries, size - dataStart);
        return new SafeTensorsFile(file, channel, dataStart, entries, metadata, chunkBytes);
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> metadata)
            throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(file, "has a " + METADATA_KEY + " that is not a map of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new SafeTensorsException(file, "has " + METADATA_KEY + " entry '" + e.getKey()
                        + "' that is not a string: the format allows strings only");
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Entry entry(Path file, String name, JsonNode node) throws SafeTensorsException {
        if (!node.isObject()) {
            throw new SafeTensorsException(file, name, "is described by " + node.getNodeType().name().toLowerCase()
                    + ", not an object with dtype, shape and data_offsets");
        }
        JsonNode dtypeNode = node.get("dtype");
        DType dtype = dtypeNode == null || !dtypeNode.isTextual() ? null : DType.byName(dtypeNode.textValue());
        if (dtype == null) {
            throw new SafeTensorsException(file, name, "has dtype " + dtypeNode + ", which is not one of "
                    + DType.names());
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafeTensorsException(file, name, "has no shape list");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToLong() || !d.isIntegralNumber() || d.longValue() < 0) {
                throw new SafeTensorsException(file, name, "has shape " + shapeNode
                        + ": every size must be a non-negative integer");
            }
            shape[i] = d.longValue();
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).isIntegralNumber()
                || !offsets.get(1).isIntegralNumber() || !offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong() || offsets.get(0).longValue() < 0
                || offsets.get(1).longValue() < offsets.get(0).longValue()) {
            throw new SafeTensorsException(file, name, "has data_offsets " + offsets
                    + ": they must be two integers, begin <= end, counted from the end of the header");
        }
        Entry entry = new Entry(name, dtype, shape, offsets.get(0).longValue(), offsets.get(1).longValue());
        long elements = elementsSaturated(shape);
        long bytes = elements > Long.MAX_VALUE / dtype.bytes() ? -1 : elements * dtype.bytes();
        if (bytes != entry.end() - entry.begin()) {
            throw new SafeTensorsException(file, name, "is " + dtype + " of shape " + entry.shapeText() + ", "
                    + (bytes < 0 ? "more bytes than a file can hold" : bytes + " bytes") + ", but its data_offsets ["
                    + entry.begin() + ", " + entry.end() + "] span " + (entry.end() - entry.begin()) + " bytes");
        }
        return entry;
    }

    /** The product of the sizes, or Long.MAX_VALUE when it overflows. */
    private static long elementsSaturated(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d != 0 && n > Long.MAX_VALUE / d) {
                return Long.MAX_VALUE;
            }
            n *= d;
        }
        return n;
    }

    /** The tensors, in the order of their offsets, must tile {@code [0, dataLength)} exactly. */
    private static void checkLayout(Path file, List<Entry> entries, long dataLength) throws SafeTensorsException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < expected) {
                throw new SafeTensorsException(file, e.name(), "starts at byte " + e.begin() + " of the data, inside "
                        + "tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end()
                        + "]: tensors must not overlap");
            }
            if (e.begin() > expected) {
                throw new SafeTensorsException(file, e.name(), "starts at byte " + e.begin() + " of the data, but the "
                        + (previous == null ? "data starts at byte 0" : "tensor before it, '" + previous.name()
                        + "', ends at " + expected) + ": the format leaves no holes");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataLength) {
            throw new SafeTensorsException(file, "holds " + dataLength + " bytes of data after its header, but its "
                    + "tensors " + (expected > dataLength ? "need " + expected + ": it is truncated"
                    : "end at byte " + expected + ": bytes follow that no tensor owns"));
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            if (n < 0) {
                throw new EOFException("unexpected end of file");
            }
            position += n;
        }
    }

    /** Starts a file to write: add tensors and metadata, then {@link Writer#write(Path)}. */
    public static Writer writer() {
        return new Writer();
    }

    /** Collects tensors and metadata, then writes them as one safetensors file. */
    public static final class Writer {
        private record Item(String name, DType dtype, long[] shape, float[] floats, long[] longs, double[] doubles) {
            long elements() {
                return floats != null ? floats.length : longs != null ? longs.length : doubles.length;
            }
        }

        private final Map<String, Item> items = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Writer() {
        }

        /** Adds {@code tensor} as F32 under {@code name} (its values are read when the file is written). */
        public Writer add(String name, Tensor tensor) {
            return put(new Item(name, DType.F32, longs(tensor.shape()), tensor.data(), null, null));
        }

        /** Adds int64 values of {@code shape} (a scalar for {@code []}) under {@code name}. */
        public Writer addInt64(String name, long[] values, long... shape) {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("'" + name + "': " + values.length + " values for shape "
                        + java.util.Arrays.toString(shape));
            }
            return put(new Item(name, DType.I64, shape.clone(), null, values.clone(), null));
        }

        /** Adds float64 values as a vector under {@code name} (figures that float32 would round). */
        public Writer addFloat64(String name, double[] values) {
            return put(new Item(name, DType.F64, new long[] {values.length}, null, null, values.clone()));
        }

        /** Adds one metadata entry (a string, as the format allows only strings). */
        public Writer metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        private Writer put(Item item) {
            if (item.name().equals(METADATA_KEY) || items.putIfAbsent(item.name(), item) != null) {
                throw new IllegalArgumentException("tensor name '" + item.name() + "' is "
                        + (item.name().equals(METADATA_KEY) ? "reserved for the metadata" : "already taken"));
            }
            return this;
        }

        private static long[] longs(Shape shape) {
            long[] out = new long[shape.rank()];
            for (int i = 0; i < out.length; i++) {
                out[i] = shape.dim(i);
            }
            return out;
        }

        /** Writes the file atomically: a crash leaves the previous file, or none, never a part of this one. */
        public void write(Path file) throws IOException {
            ObjectNode header = JSON.createObjectNode();
            if (!metadata.isEmpty()) {
                ObjectNode meta = header.putObject(METADATA_KEY);
                metadata.forEach(meta::put);
            }
            long offset = 0;
            for (Item item : items.values()) {
                long bytes = item.elements() * item.dtype().bytes();
                ObjectNode node = header.putObject(item.name());
                node.put("dtype", item.dtype().name());
                var shape = node.putArray("shape");
                for (long d : item.shape()) {
                    shape.add(d);
                }
                node.putArray("data_offsets").add(offset).add(offset + bytes);
                offset += bytes;
            }
            byte[] json = JSON.writeValueAsBytes(header);
            int padded = (json.length + 7) / 8 * 8;
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) {
                head.put((byte) ' ');
            }
            AtomicFiles.write(file, channel -> {
                writeFully(channel, head.flip());
                ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                for (Item item : items.values()) {
                    if (item.floats() != null) {
                        float[] v = item.floats();
                        for (int i = 0; i < v.length; ) {
                            int n = Math.min(v.length - i, CHUNK / 4);
                            chunk.clear();
                            chunk.asFloatBuffer().put(v, i, n);
                            chunk.limit(n * 4);
                            writeFully(channel, chunk);
                            i += n;
                        }
                    } else {
                        for (int i = 0; i < item.elements(); ) {
                            int n = (int) Math.min(item.elements() - i, CHUNK / 8);
                            chunk.clear();
                            if (item.longs() != null) {
                                chunk.asLongBuffer().put(item.longs(), i, n);
                            } else {
                                chunk.asDoubleBuffer().put(item.doubles(), i, n);
                            }
                            chunk.limit(n * 8);
                            writeFully(channel, chunk);
                            i += n;
                        }
                    }
                }
            });
        }

        private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }
}
