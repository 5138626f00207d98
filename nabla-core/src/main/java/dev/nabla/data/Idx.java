package dev.nabla.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and its relatives (Fashion-MNIST, KMNIST, EMNIST): a big-endian header, then
 * unsigned bytes. Images are {@code idx3-ubyte} (magic {@code 0x00000803}, then count, rows, cols), labels
 * {@code idx1-ubyte} (magic {@code 0x00000801}, then count).
 *
 * <p>A file may be raw or gzip-compressed; gzip is recognised by its magic bytes {@code 1f 8b}, never by the
 * name. Errors are {@link IOException}s that name the file: {@link NoSuchFileException} when it is missing,
 * {@link MalformedDataException} with the byte offset and what was expected there when it is not a valid IDX
 * file. In a gzip file the offsets count decompressed bytes.
 */
public final class Idx {
    /** Magic number of an image file: unsigned bytes ({@code 0x08}), three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes ({@code 0x08}), one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** Reads an {@code idx3-ubyte} image file, raw or gzip. */
    public static IdxImages readImages(Path file) throws IOException {
        try (Reader in = new Reader(file)) {
            int[] dims = imageHeader(in, file);
            int size = dims[0] * dims[1] * dims[2];
            byte[] pixels = in.readBody(size, dims[0] + " images of " + dims[1] + "×" + dims[2] + " pixels");
            in.expectEnd();
            return new IdxImages(dims[0], dims[1], dims[2], pixels);
        }
    }

    /** The image count, rows and columns of an image file's header, checked to fit one array. */
    private static int[] imageHeader(Reader in, Path file) throws IOException {
        in.expectMagic(IMAGES_MAGIC, "images (idx3-ubyte)");
        int count = in.readDim("image count");
        int rows = in.readDim("rows");
        int cols = in.readDim("columns");
        long perImage = (long) rows * cols;   // below 2^62: cannot overflow, while count × rows × cols can
        if (count != 0 && perImage > (Integer.MAX_VALUE - 8) / count) {
            throw new MalformedDataException(file + ": header says " + count + " images of " + rows + "×" + cols
                    + ", more pixels than one array holds (2^31 - 9)");
        }
        return new int[] {count, rows, cols};
    }

    /** Reads an {@code idx1-ubyte} label file, raw or gzip: one label (0..255) per sample. */
    public static int[] readLabels(Path file) throws IOException {
        try (Reader in = new Reader(file)) {
            in.expectMagic(LABELS_MAGIC, "labels (idx1-ubyte)");
            int count = in.readDim("label count");
            byte[] raw = in.readBody(count, count + " labels");
            in.expectEnd();
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        }
    }

    /** Opens a file, decompressing when it starts with the gzip magic, and counts the bytes read. */
    private static final class Reader implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final boolean gzip;
        /**
         * The file's length once decompressed: its size on disk, or for a gzip file the length its trailer states
         * (modulo 2³², as gzip keeps it).
         */
        private final long length;
        private long offset;

        Reader(Path file) throws IOException {
            this.file = file;
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString(), null,
                        Files.exists(file) ? "not a regular file, expected an IDX file" : "no such IDX file");
            }
            var raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            this.gzip = b0 == 0x1f && b1 == 0x8b;
            this.in = gzip ? new BufferedInputStream(gzipStream(raw), 1 << 16) : raw;
            this.length = gzip ? gzipTrailerLength(file) : Files.size(file);
        }

        private InputStream gzipStream(InputStream raw) throws IOException {
            try {
                return new GZIPInputStream(raw, 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new MalformedDataException(file + ": starts like a gzip file (1f 8b) but its gzip header is "
                        + "damaged: " + e.getMessage(), e);
            }
        }

        void expectMagic(int expected, String kind) throws IOException {
            int magic = readInt("the magic number");
            if (magic != expected) {
                throw new MalformedDataException(file + ": magic number " + hex(magic) + " at offset 0, expected "
                        + hex(expected) + " for " + kind + describe(magic));
            }
        }

        int readDim(String what) throws IOException {
            long at = offset;
            int d = readInt(what);
            if (d < 0) {
                throw new MalformedDataException(file + ": " + what + " at offset " + at + " is " + d
                        + " (" + hex(d) + "), a dimension cannot be negative");
            }
            return d;
        }

        private int readInt(String what) throws IOException {
            byte[] b = readBody(4, what);
            return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        }

        /**
         * Reads exactly {@code n} bytes, or explains how far the file fell short. When the rest of the file can hold
         * {@code n} bytes the array is made at once; otherwise it grows with what arrives (doubling from 1 MB) rather
         * than being sized by the header, so a short file whose header claims two billion pixels fails having
         * allocated about what it holds.
         */
        byte[] readBody(int n, String what) throws IOException {
            byte[][] out = {new byte[holds(n) ? n : Math.min(n, 1 << 20)]};
            readBody(n, what, (buf, len, at) -> {
                if (at + len > out[0].length) {
                    out[0] = Arrays.copyOf(out[0], (int) Math.min(n, Math.max(2L * out[0].length, at + len)));
                }
                System.arraycopy(buf, 0, out[0], at, len);
            });
            return out[0];
        }

        /**
         * Whether the file holds {@code n} more bytes: a raw file, when that many are left; a gzip file, when its
         * trailer says it ends just after them (a truncated download's last bytes say so only by a 1 in 2³² chance).
         */
        private boolean holds(int n) {
            return gzip ? length == (offset + n & 0xffffffffL) : n <= length - offset;
        }

        /** The decompressed length a gzip file's last four bytes state (little-endian, modulo 2³²), or -1. */
        private static long gzipTrailerLength(Path file) throws IOException {
            try (var raf = new RandomAccessFile(file.toFile(), "r")) {
                if (raf.length() < 4) {
                    return -1;
                }
                byte[] b = new byte[4];
                raf.seek(raf.length() - 4);
                raf.readFully(b);
                return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
            }
        }

        /** Receives a body as it is read: {@code len} bytes of {@code buf}, from position {@code at} of the body. */
        interface Chunks {
            void accept(byte[] buf, int len, int at);
        }

        /**
         * Reads exactly {@code n} bytes, handing them to {@code sink} a buffer at a time (so a large body need
         * not be held whole), or explains how far the file fell short.
         */
        void readBody(int n, String what, Chunks sink) throws IOException {
            byte[] buf = new byte[Math.min(n, 1 << 16)];
            long start = offset;
            int got = 0;
            try {
                while (got < n) {
                    int r = in.read(buf, 0, Math.min(buf.length, n - got));
                    if (r < 0) {
                        break;
                    }
                    sink.accept(buf, r, got);
                    got += r;
                }
            } catch (EOFException e) {
                // NOTE: a truncated gzip stream ends with EOFException rather than -1; the same fault for us.
            } catch (ZipException e) {
                throw new MalformedDataException(file + ": corrupt gzip data after " + (start + got)
                        + " decompressed bytes: " + e.getMessage(), e);
            }
            offset = start + got;
            if (got < n) {
                throw new MalformedDataException(file + " is truncated: expected " + n + " bytes of " + what
                        + " at offset " + start + " (ending at offset " + (start + n) + "), found only " + got
                        + (gzip ? " (offsets count decompressed bytes)" : "")
                        + ": download the file again");
            }
        }

        /**
         * Checks that nothing follows the body: extra bytes mean the header undercounts. Reaching the end also
         * makes a gzip stream verify its checksum and length.
         */
        void expectEnd() throws IOException {
            long extra = 0;
            byte[] sink = new byte[8192];
            try {
                for (int r; (r = in.read(sink)) >= 0; ) {
                    extra += r;
                }
            } catch (EOFException e) {
                throw new MalformedDataException(file + " is truncated: the gzip stream ends inside its trailer, "
                        + "after " + offset + " decompressed bytes: download the file again", e);
            } catch (ZipException e) {
                throw new MalformedDataException(file + ": corrupt gzip data after " + offset
                        + " decompressed bytes: " + e.getMessage(), e);
            }
            if (extra > 0) {
                throw new MalformedDataException(file + ": " + extra + " bytes follow the data at offset " + offset
                        + ", where the header's dimensions say the file ends: the header is wrong or the file is "
                        + "not a single IDX file");
            }
        }

        private static String describe(int magic) {
            if ((magic >>> 16) == 0x1f8b) {
                return " (this is a gzip stream inside a gzip stream: decompress it once)";
            }
            if ((magic >>> 16) != 0) {
                return ": this is not an IDX file";
            }
            int type = (magic >>> 8) & 0xff;
            int dims = magic & 0xff;
            return type == 0x08
                    ? ": an unsigned-byte IDX file with " + dims + " dimension" + (dims == 1 ? "" : "s")
                    : ": IDX element type " + String.format("0x%02x", type) + " is not supported, only 0x08 (unsigned byte)";
        }

        private static String hex(int v) {
            return String.format("0x%08x", v);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
