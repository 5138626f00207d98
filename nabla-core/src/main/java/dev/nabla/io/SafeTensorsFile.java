package dev.nabla.io;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open, validated safetensors file ({@link SafeTensors#open}): its tensors' descriptions and metadata, and each
 * tensor's values on request, memory-mapped and converted to float32. Reading a tensor of a type that float32
 * cannot hold exactly records in {@link #conversions()} how many of its values changed. Close it when done (the
 * tensors already read stay valid).
 */
public final class SafeTensorsFile implements Closeable {
    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, SafeTensors.Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata;
    private final List<String> conversions = new ArrayList<>();
    /** The most bytes mapped at once: a tensor beyond it (2 GiB and more) is read in parts. */
    private final long chunkBytes;

    SafeTensorsFile(Path file, FileChannel channel, long dataStart, List<SafeTensors.Entry> entries,
                    Map<String, String> metadata, long chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        entries.forEach(e -> this.entries.put(e.name(), e));
        this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The file's path, as given to {@link SafeTensors#open}. */
    public Path path() {
        return file;
    }

    /** Every tensor's description by name, in the header's order. */
    public Map<String, SafeTensors.Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    /** The {@code __metadata__} map (empty when the file has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Sentences on the values that changed in the conversion to float32 so far, e.g. {@code 'w' (F64): 12 of 64
     * values rounded to float32}: empty when every value arrived exactly.
     */
    public List<String> conversions() {
        return Collections.unmodifiableList(conversions);
    }

    /**
     * The tensor {@code name} as float32.
     *
     * @throws IllegalArgumentException when the file has no tensor of that name (listing those it has)
     * @throws SafeTensorsException     when it has more elements than a Nabla tensor holds (2³¹ − 1)
     */
    public Tensor tensor(String name) throws IOException {
        SafeTensors.Entry e = entry(name);
        int[] dims = new int[e.shape().length];
        for (int i = 0; i < dims.length; i++) {
            if (e.shape()[i] > Integer.MAX_VALUE) {
                throw new SafeTensorsException(file, name, "has a size " + e.shape()[i] + " beyond what a Nabla "
                        + "tensor holds (2^31 - 1 per dimension)");
            }
            dims[i] = (int) e.shape()[i];
        }
        if (e.elements() > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file, name, "has " + e.elements() + " elements, beyond what a Nabla "
                    + "tensor holds (2^31 - 9)");
        }
        float[] out = new float[(int) e.elements()];
        long changed = 0;
        int perChunk = (int) (chunkBytes / e.dtype().bytes());
        for (int first = 0; first < out.length; first += perChunk) {
            int count = Math.min(perChunk, out.length - first);
            ByteBuffer data = map(e, (long) first * e.dtype().bytes(), (long) count * e.dtype().bytes());
            changed += convert(e, data, out, first, count);
        }
        if (changed > 0) {
            conversions.add("'" + name + "' (" + e.dtype() + "): " + changed + " of " + out.length + " values "
                    + (e.dtype() == DType.F64 ? "rounded to float32" : "beyond 2^24, rounded to float32"));
        }
        return Tensor.wrap(out, Shape.of(dims));
    }

    /**
     * Every tensor whose name starts with {@code prefix}, as float32, by its name without the prefix, in the header's
     * order ({@code ""} for all of them).
     */
    public Map<String, Tensor> tensors(String prefix) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : entries.keySet()) {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), tensor(name));
            }
        }
        return out;
    }

    /**
     * The integer tensor {@code name} (I64, I32, I16, I8, U8 or BOOL) as longs, exactly: step counts and the like.
     *
     * @throws SafeTensorsException when it is a floating-point tensor
     */
    /**
     * Converts {@code count} elements of {@code data} (the tensor's bytes from element {@code first} on) into
     * {@code out[first …]}; returns how many changed value in the conversion.
     */
    private long convert(SafeTensors.Entry e, ByteBuffer data, float[] out, int first, int count)
            throws SafeTensorsException {
        long changed = 0;
        switch (e.dtype()) {
            case F32 -> data.asFloatBuffer().get(out, first, count);
            case F64 -> {
                for (int i = 0; i < count; i++) {
                    double v = data.getDouble(8 * i);
                    out[first + i] = (float) v;
                    changed += out[first + i] == v || Double.isNaN(v) ? 0 : 1;
                }
            }
            case F16 -> {
                for (int i = 0; i < count; i++) {
                    out[first + i] = Float.float16ToFloat(data.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < count; i++) {
                    out[first + i] = Float.intBitsToFloat((data.getShort(2 * i) & 0xffff) << 16);
                }
            }
            case I64 -> {
                for (int i = 0; i < count; i++) {
                    long v = data.getLong(8 * i);
                    out[first + i] = v;
                    changed += (long) out[first + i] == v && out[first + i] != 0x1p63f ? 0 : 1;
                }
            }
            case I32 -> {
                for (int i = 0; i < count; i++) {
                    int v = data.getInt(4 * i);
                    out[first + i] = v;
                    changed += (long) out[first + i] == v ? 0 : 1;
                }
            }
            case I16 -> {
                for (int i = 0; i < count; i++) {
                    out[first + i] = data.getShort(2 * i);
                }
            }
            case I8 -> {
                for (int i = 0; i < count; i++) {
                    out[first + i] = data.get(i);
                }
            }
            case U8 -> {
                for (int i = 0; i < count; i++) {
                    out[first + i] = data.get(i) & 0xff;
                }
            }
            case BOOL -> {
                for (int i = 0; i < count; i++) {
                    byte b = data.get(i);
                    if (b != 0 && b != 1) {
                        throw new SafeTensorsException(file, e.name(), "is BOOL but its element " + (first + i)
                                + " is byte " + b + ", neither 0 nor 1");
                    }
                    out[first + i] = b;
                }
            }
        }
        return changed;
    }

    public long[] longs(String name) throws IOException {
        SafeTensors.Entry e = entry(name);
        if (e.elements() > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file, name, "has " + e.elements() + " elements, too many to read as longs");
        }
        long[] out = new long[(int) e.elements()];
        ByteBuffer data = map(e);
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (e.dtype()) {
                case I64 -> data.getLong(8 * i);
                case I32 -> data.getInt(4 * i);
                case I16 -> data.getShort(2 * i);
                case I8, BOOL -> data.get(i);
                case U8 -> data.get(i) & 0xff;
                case F64, F32, F16, BF16 -> throw new SafeTensorsException(file, name, "is " + e.dtype()
                        + " where an integer tensor was expected");
            };
        }
        return out;
    }

    /**
     * The float64 or float32 tensor {@code name} as doubles, exactly.
     *
     * @throws SafeTensorsException when it is of another type
     */
    public double[] doubles(String name) throws IOException {
        SafeTensors.Entry e = entry(name);
        if (e.dtype() != DType.F64 && e.dtype() != DType.F32 || e.elements() > Integer.MAX_VALUE - 8) {
            throw new SafeTensorsException(file, name, "is " + e.dtype() + " of shape " + e.shapeText()
                    + " where a float64 vector was expected");
        }
        double[] out = new double[(int) e.elements()];
        ByteBuffer data = map(e);
        for (int i = 0; i < out.length; i++) {
            out[i] = e.dtype() == DType.F64 ? data.getDouble(8 * i) : data.getFloat(4 * i);
        }
        return out;
    }

    private SafeTensors.Entry entry(String name) {
        SafeTensors.Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException(file + " has no tensor '" + name + "'; it has " + entries.keySet());
        }
        return e;
    }

    /** The whole of a small tensor's bytes (the integer and float64 tensors a checkpoint keeps). */
    private ByteBuffer map(SafeTensors.Entry e) throws IOException {
        long length = e.end() - e.begin();
        if (length > chunkBytes) {
            throw new SafeTensorsException(file, e.name(), "is " + length + " bytes, more than a vector of counts "
                    + "or figures holds");
        }
        return map(e, 0, length);
    }

    /** {@code length} bytes of a tensor from byte {@code offset} of its data, memory-mapped. */
    private ByteBuffer map(SafeTensors.Entry e, long offset, long length) throws IOException {
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin() + offset, length)
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
