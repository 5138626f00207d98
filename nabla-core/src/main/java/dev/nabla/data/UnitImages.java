package dev.nabla.data;

/**
 * The images of an IDX file as floats in {@code [0, 1]} (each pixel divided by 255), read by
 * {@link Idx#readUnitImages} without holding the file's bytes: the form a {@link Dataset} takes them in.
 *
 * @param count  the number of images
 * @param rows   pixel rows per image
 * @param cols   pixel columns per image
 * @param values {@code [count, rows · cols]} row-major
 */
public record UnitImages(int count, int rows, int cols, float[] values) {

    /** Checks that the values fill the images. */
    public UnitImages {
        if ((long) count * rows * cols != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill " + count + " images of "
                    + rows + "×" + cols);
        }
    }

    /** Pixels per image, {@code rows · cols}. */
    public int pixelsPerImage() {
        return rows * cols;
    }
}
