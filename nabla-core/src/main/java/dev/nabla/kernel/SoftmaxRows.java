package dev.nabla.kernel;

/**
 * Softmax and log-softmax over the rows of a row-major {@code [rows, C]} array, stable for any logits: the row
 * maximum is subtracted before exponentiating, so no term exceeds e⁰ = 1 and the sum is at least 1.
 * A row whose entries are all −∞ gives NaN, as in PyTorch.
 */
public final class SoftmaxRows {
    private SoftmaxRows() {
    }

    /** {@code y[r, j] = e^(x[r,j] − m) / Σ_k e^(x[r,k] − m)} with m the row max. Reads x; writes y. */
    public static void softmax(float[] x, int cols, float[] y) {
        for (int base = 0; base < x.length; base += cols) {
            float max = rowMax(x, base, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp(x[base + j] - max);
                y[base + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) {
                y[base + j] *= inv;
            }
        }
    }

    /** {@code y[r, j] = x[r,j] − m − log Σ_k e^(x[r,k] − m)}. Reads x; writes y. */
    public static void logSoftmax(float[] x, int cols, float[] y) {
        for (int base = 0; base < x.length; base += cols) {
            float max = rowMax(x, base, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += Math.exp(x[base + j] - max);
            }
            float logSum = (float) Math.log(sum);
            for (int j = 0; j < cols; j++) {
                y[base + j] = x[base + j] - max - logSum;
            }
        }
    }

    /** {@code dx = y ⊙ (dy − ⟨dy, y⟩)} per row, from softmax's output y. Reads y, dy; writes dx. */
    public static void softmaxBackward(float[] y, float[] dy, int cols, float[] dx) {
        for (int base = 0; base < y.length; base += cols) {
            double dot = 0;
            for (int j = 0; j < cols; j++) {
                dot += (double) dy[base + j] * y[base + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[base + j] = y[base + j] * (float) (dy[base + j] - dot);
            }
        }
    }

    /** {@code dx = dy − e^y · Σ dy} per row, from log-softmax's output y. Reads y, dy; writes dx. */
    public static void logSoftmaxBackward(float[] y, float[] dy, int cols, float[] dx) {
        for (int base = 0; base < y.length; base += cols) {
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                sum += dy[base + j];
            }
            for (int j = 0; j < cols; j++) {
                dx[base + j] = dy[base + j] - (float) (Math.exp(y[base + j]) * sum);
            }
        }
    }

    private static float rowMax(float[] x, int base, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, x[base + j]);
        }
        // NOTE: an all −∞ row has max −∞ and x − max = NaN, matching PyTorch; keep it rather than hide it.
        return max;
    }
}
