package dev.nabla.data;

/**
 * The images of an IDX file ({@code idx3-ubyte}) as stored: {@code count} images of {@code rows × cols} unsigned
 * bytes, row-major, image after image.
 *
 * <p>Kept as bytes (a quarter of the memory of floats) until a {@link Dataset} needs them: {@link #toUnitFloats()}.
 *
 * @param count  the number of images
 * @param rows   pixel rows per image
 * @param cols   pixel columns per image
 * @param pixels {@code count · rows · cols} unsigned bytes, 0..255; read with {@code & 0xff}
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {

    /** Checks that the pixels fill the images. */
    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " pixels do not fill " + count + " images of "
                    + rows + "×" + cols);
        }
    }

    /** Pixels per image, {@code rows · cols}. */
    public int pixelsPerImage() {
        return rows * cols;
    }

    /** Every pixel divided by 255, so in {@code [0, 1]}: {@code [count, rows · cols]} row-major. */
    public float[] toUnitFloats() {
        float[] out = new float[pixels.length];
        toUnitFloats(pixels, pixels.length, out, 0);
        return out;
    }

    /** {@code out[at + i] = (bytes[i] & 0xff) / 255} for i in {@code [0, len)}. */
    static void toUnitFloats(byte[] bytes, int len, float[] out, int at) {
        toUnitFloats(bytes, 0, len, out, at);
    }

    /** {@code out[at + i] = (bytes[from + i] & 0xff) / 255} for i in {@code [0, len)}. */
    static void toUnitFloats(byte[] bytes, int from, int len, float[] out, int at) {
        for (int i = 0; i < len; i++) {
            out[at + i] = (bytes[from + i] & 0xff) / 255f;
        }
    }
}
