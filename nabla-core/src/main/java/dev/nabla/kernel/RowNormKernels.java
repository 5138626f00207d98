package dev.nabla.kernel;

/**
 * The loops of layer and group normalisation: x is read as R rows of D contiguous values, and each row is normalised
 * on its own, {@code x̂ = (x − mean_r)·invStd_r}, then scaled and shifted element-wise by γ and β.
 *
 * <p>Which γ and β a value uses is given by two numbers, {@code groups} and {@code spatial}: value j of row r uses
 * entry {@code (r mod groups)·(D/spatial) + j/spatial}. Layer normalisation (a row is one sample's normalized shape,
 * with one γ per value) has groups = spatial = 1, so the entry is j. Group normalisation of x {@code [N, C, S]} in G
 * groups has rows of D = (C/G)·S values (one sample's group of channels, contiguous in memory), groups = G and
 * spatial = S, so the entry is the channel.
 *
 * <p>Every method takes its inputs first and its outputs last, and writes only the outputs; sums are accumulated in
 * double. A null γ means 1, a null β means 0.
 */
public final class RowNormKernels {
    private RowNormKernels() {
    }

    /**
     * The mean and {@code invStd = 1/√(v + eps)} of each row, v the biased variance (divided by D), in two passes in
     * double. Reads x; writes mean and invStd, both {@code [R]}.
     */
    public static void meanInvStd(float[] x, int d, double eps, float[] mean, float[] invStd) {
        int rows = mean.length;
        for (int r = 0; r < rows; r++) {
            int base = r * d;
            double sum = 0;
            for (int j = 0; j < d; j++) {
                sum += x[base + j];
            }
            double mu = sum / d;
            double sq = 0;
            for (int j = 0; j < d; j++) {
                double dev = x[base + j] - mu;
                sq += dev * dev;
            }
            mean[r] = (float) mu;
            invStd[r] = (float) (1.0 / Math.sqrt(sq / d + eps));
        }
    }

    /**
     * {@code y = (x − mean_r)·invStd_r·γ + β}, γ and β indexed as the class javadoc says. Reads x, mean, invStd,
     * gamma, beta; writes y (which may be x).
     */
    public static void normalize(float[] x, int d, int groups, int spatial, float[] mean, float[] invStd,
            float[] gamma, float[] beta, float[] y) {
        int perRow = d / spatial;
        for (int r = 0; r < mean.length; r++) {
            float mu = mean[r];
            float rs = invStd[r];
            int first = (r % groups) * perRow;
            for (int k = 0; k < perRow; k++) {
                float scale = gamma == null ? rs : rs * gamma[first + k];
                float shift = beta == null ? 0f : beta[first + k];
                int base = r * d + k * spatial;
                for (int s = 0; s < spatial; s++) {
                    y[base + s] = (x[base + s] - mu) * scale + shift;
                }
            }
        }
    }

    /**
     * The gradients of a row normalisation, given dy. Per row, with ĝ = dy·γ and the row's D values,
     * {@code dx = invStd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))}; over all rows, {@code dgamma = Σ dy·x̂} and
     * {@code dbeta = Σ dy} per γ entry. Reads x, dy, mean, invStd, gamma; writes dx, dgamma and dbeta, each
     * skipped when null.
     */
    public static void backward(float[] x, float[] dy, int d, int groups, int spatial, float[] mean, float[] invStd,
            float[] gamma, float[] dx, float[] dgamma, float[] dbeta) {
        int perRow = d / spatial;
        int affineSize = groups * perRow;
        double[] sumDyXhat = new double[affineSize];
        double[] sumDy = new double[affineSize];
        for (int r = 0; r < mean.length; r++) {
            float mu = mean[r];
            float rs = invStd[r];
            int first = (r % groups) * perRow;
            double sumG = 0;
            double sumGXhat = 0;
            for (int k = 0; k < perRow; k++) {
                float gam = gamma == null ? 1f : gamma[first + k];
                int base = r * d + k * spatial;
                double a = 0;
                double b = 0;
                for (int s = 0; s < spatial; s++) {
                    float g = dy[base + s];
                    float xhat = (x[base + s] - mu) * rs;
                    a += g;
                    b += g * xhat;
                }
                sumDy[first + k] += a;
                sumDyXhat[first + k] += b;
                sumG += gam * a;
                sumGXhat += gam * b;
            }
            if (dx != null) {
                float meanG = (float) (sumG / d);
                float meanGXhat = (float) (sumGXhat / d);
                for (int k = 0; k < perRow; k++) {
                    float gam = gamma == null ? 1f : gamma[first + k];
                    int base = r * d + k * spatial;
                    for (int s = 0; s < spatial; s++) {
                        float xhat = (x[base + s] - mu) * rs;
                        dx[base + s] = rs * (dy[base + s] * gam - meanG - xhat * meanGXhat);
                    }
                }
            }
        }
        for (int i = 0; i < affineSize; i++) {
            if (dgamma != null) {
                dgamma[i] = (float) sumDyXhat[i];
            }
            if (dbeta != null) {
                dbeta[i] = (float) sumDy[i];
            }
        }
    }
}
