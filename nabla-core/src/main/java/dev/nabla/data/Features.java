package dev.nabla.data;

/**
 * How a {@link Dataset} holds its feature values, {@code [N, width]} row-major: as floats, or, for images read from
 * unsigned bytes (IDX files), as those bytes, each read as {@code byte / 255}. Fashion-MNIST's 70,000 images take
 * 55 MB as bytes against 220 MB as floats; a batch gets the same floats either way ({@link #copyRow}).
 */
sealed interface Features {
    /** The number of values. */
    int length();

    /** {@code dst[at, at + width) = } the values of row {@code row}. */
    void copyRow(int row, int width, float[] dst, int at);

    /** The rows at {@code indices}, in that order, held the same way. */
    Features rows(int[] indices, int width);

    /** Every value as floats: the held array itself for {@link Floats}, not to be changed; a new one for bytes. */
    float[] floats();

    /** The index of the first NaN or ±∞, or −1. */
    int firstNonFinite();

    /** One mean and standard deviation of every value: {@link Standardization#ofAllFeatures}. */
    Standardization ofAllValues();

    /** Values held as floats. */
    record Floats(float[] values) implements Features {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public void copyRow(int row, int width, float[] dst, int at) {
            System.arraycopy(values, row * width, dst, at, width);
        }

        @Override
        public Features rows(int[] indices, int width) {
            float[] out = new float[Math.multiplyExact(indices.length, width)];
            for (int b = 0; b < indices.length; b++) {
                copyRow(indices[b], width, out, b * width);
            }
            return new Floats(out);
        }

        @Override
        public float[] floats() {
            return values;
        }

        @Override
        public Standardization ofAllValues() {
            return Standardization.fit(values, 1);
        }

        @Override
        public int firstNonFinite() {
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Unsigned bytes, each value {@code (b & 0xff) / 255}: always finite, in [0, 1]. */
    record UnitBytes(byte[] values) implements Features {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public void copyRow(int row, int width, float[] dst, int at) {
            IdxImages.toUnitFloats(values, row * width, width, dst, at);
        }

        @Override
        public Features rows(int[] indices, int width) {
            byte[] out = new byte[Math.multiplyExact(indices.length, width)];
            for (int b = 0; b < indices.length; b++) {
                System.arraycopy(values, indices[b] * width, out, b * width, width);
            }
            return new UnitBytes(out);
        }

        @Override
        public float[] floats() {
            float[] out = new float[values.length];
            IdxImages.toUnitFloats(values, 0, values.length, out, 0);
            return out;
        }

        /** From the count of each of the 256 byte values, without a float copy of the images. */
        @Override
        public Standardization ofAllValues() {
            long[] counts = new long[256];
            for (byte b : values) {
                counts[b & 0xff]++;
            }
            double sum = 0;
            for (int b = 0; b < 256; b++) {
                sum += counts[b] * (double) (b / 255f);
            }
            double mean = sum / values.length;
            double squares = 0;
            for (int b = 0; b < 256; b++) {
                double d = b / 255f - mean;
                squares += counts[b] * d * d;
            }
            return Standardization.ofSums(values.length, new double[] {sum}, new double[] {squares});
        }

        @Override
        public int firstNonFinite() {
            return -1;
        }
    }
}
