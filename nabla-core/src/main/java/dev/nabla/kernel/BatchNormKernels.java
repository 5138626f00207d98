package dev.nabla.kernel;

import java.util.Arrays;

/**
 * The loops of batch normalisation over a row-major {@code [N, C, S]} array: N samples, C channels and S values per
 * channel and sample (S = 1 for {@code [N, C]}, L for {@code [N, C, L]}, H·W for {@code [N, C, H, W]}). Channel c owns
 * the M = N·S values {@code x[(n·C + c)·S + s]}; every statistic is per channel, over those M values.
 *
 * <p>Every method takes its inputs first and its outputs last, and writes only the outputs. Sums are accumulated in
 * double, a run of S > 1 values of one channel in the eight partial sums of {@link Sums}. The loops stream through
 * the arrays in memory order with one accumulator per channel, so a layout with S = 1 (a {@code [N, C]} batch) is
 * read row by row, never with a stride of C; that layout has its own loops over the channels of a row rather than a
 * loop of one value per channel. With the Vector API ({@link Simd}) the S = 1 layout
 * runs on {@code VectorBatchNorm}, whose lanes are neighbouring channels, and gives the same bits as the plain loops
 * ({@code scalarXxx}), which are the fallback and the tests' reference.
 *
 * <p>Each pass also comes in a form for a range of channels {@code [from, to)}, which writes only those channels'
 * outputs; the whole-array forms share the channels out between the {@link Parallel} threads with it. A channel's
 * arithmetic does not depend on the range it is computed in, so results do not depend on the thread count.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /** Scalar operations of one pass over an [N, C, S] array, for the split over threads. */
    private static long work(int n, int c, int s) {
        return 4L * n * c * s;
    }

    /**
     * The mean and the <em>biased</em> variance (divided by M, not M − 1) of each channel, in two passes (mean, then
     * Σ(x − mean)²/M) in double, so a large mean does not cancel the variance away. Reads x; writes mean and var,
     * both {@code [C]}.
     */
    public static void meanVar(float[] x, int n, int c, int s, float[] mean, float[] var) {
        Parallel.forRange(c, work(n, c, s), (from, to) -> meanVar(x, n, c, s, from, to, mean, var));
    }

    /** {@link #meanVar} for the channels {@code [from, to)} only: writes mean and var there. */
    public static void meanVar(float[] x, int n, int c, int s, int from, int to, float[] mean, float[] var) {
        int ch = s == 1 && Simd.VECTORIZED ? VectorBatchNorm.meanVar(x, n, c, from, to, mean, var) : from;
        scalarMeanVar(x, n, c, s, ch, to, mean, var);
    }

    /** The plain loops of {@link #meanVar} over the channels {@code [from, to)}: the fallback, and the tests' twin. */
    static void scalarMeanVar(float[] x, int n, int c, int s, int from, int to, float[] mean, float[] var) {
        if (from >= to) {
            return;
        }
        double m = (double) n * s;
        double[] sum = new double[c];
        for (int sample = 0; sample < n; sample++) {
            if (s == 1) {   // [N, C]: a row holds one value of every channel
                int base = sample * c;
                for (int ch = from; ch < to; ch++) {
                    sum[ch] += x[base + ch];
                }
                continue;
            }
            for (int ch = from; ch < to; ch++) {
                int base = (sample * c + ch) * s;
                sum[ch] += Sums.sum(x, base, base + s);
            }
        }
        double[] mu = new double[c];
        for (int ch = from; ch < to; ch++) {
            mu[ch] = sum[ch] / m;
        }
        double[] sq = new double[c];
        for (int sample = 0; sample < n; sample++) {
            if (s == 1) {
                int base = sample * c;
                for (int ch = from; ch < to; ch++) {
                    double d = x[base + ch] - mu[ch];
                    sq[ch] += d * d;
                }
                continue;
            }
            for (int ch = from; ch < to; ch++) {
                int base = (sample * c + ch) * s;
                sq[ch] += Sums.squaredDeviations(x, base, base + s, mu[ch]);
            }
        }
        for (int ch = from; ch < to; ch++) {
            mean[ch] = (float) mu[ch];
            var[ch] = (float) (sq[ch] / m);
        }
    }

    /** {@code invStd[c] = 1/√(var[c] + eps)}, in double, rounded once. Reads var; writes invStd. */
    public static void invStd(float[] var, double eps, float[] invStd) {
        for (int ch = 0; ch < var.length; ch++) {
            invStd[ch] = (float) (1.0 / Math.sqrt(var[ch] + eps));
        }
    }

    /**
     * {@code running[c] = (1 − momentum)·running[c] + momentum·scale·batch[c]}, in double, rounded once: the update of
     * a running statistic ({@code scale} = M/(M − 1) turns a biased variance into the unbiased one). Reads batch;
     * writes running, in place.
     */
    public static void updateRunning(float[] batch, double scale, double momentum, float[] running) {
        for (int ch = 0; ch < running.length; ch++) {
            running[ch] = (float) ((1 - momentum) * running[ch] + momentum * scale * batch[ch]);
        }
    }

    /**
     * {@code y = (x − mean[c])·invStd[c]·gamma[c] + beta[c]}; a null gamma means 1, a null beta 0. Reads x, mean,
     * invStd, gamma, beta; writes y (which may be x).
     */
    public static void normalize(float[] x, int n, int c, int s, float[] mean, float[] invStd, float[] gamma,
            float[] beta, float[] y) {
        Parallel.forRange(c, work(n, c, s), (from, to) -> normalize(x, n, c, s, from, to, mean, invStd, gamma, beta, y));
    }

    /** {@link #normalize} for the channels {@code [from, to)} only: writes y's values of those channels. */
    public static void normalize(float[] x, int n, int c, int s, int from, int to, float[] mean, float[] invStd,
            float[] gamma, float[] beta, float[] y) {
        normalizeChannels(x, n, c, s, from, to, mean, invStd, gamma, beta, false, y);
    }

    /**
     * {@link #normalize} followed by a ReLU, {@code y = max((x − mean[c])·invStd[c]·gamma[c] + beta[c], 0)}, with the
     * bits of the two passes: for S &gt; 1 in the same pass (one read and one write of y fewer); for S = 1 the
     * normalisation's vector pass and then the ReLU's, faster there than one plain pass. Reads x, mean, invStd, gamma,
     * beta; writes y (which may be x).
     */
    public static void normalizeRelu(float[] x, int n, int c, int s, float[] mean, float[] invStd, float[] gamma,
            float[] beta, float[] y) {
        if (s == 1 && Simd.VECTORIZED) {
            normalize(x, n, c, s, mean, invStd, gamma, beta, y);
            Elementwise.relu(y, y);
            return;
        }
        Parallel.forRange(c, work(n, c, s),
                (from, to) -> normalizeChannels(x, n, c, s, from, to, mean, invStd, gamma, beta, true, y));
    }

    /** {@link #normalize} (and {@code max(y, 0)} when {@code relu}) over the channels [from, to). */
    private static void normalizeChannels(float[] x, int n, int c, int s, int from, int to, float[] mean,
            float[] invStd, float[] gamma, float[] beta, boolean relu, float[] y) {
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = from; ch < to; ch++) {
            scale[ch] = gamma == null ? invStd[ch] : invStd[ch] * gamma[ch];
            shift[ch] = beta == null ? 0f : beta[ch];
        }
        int ch = s == 1 && Simd.VECTORIZED && !relu
                ? VectorBatchNorm.normalize(x, n, c, from, to, mean, scale, shift, y) : from;
        scalarNormalize(x, n, c, s, ch, to, mean, scale, shift, relu, y);
    }

    /**
     * The plain loops of {@link #normalize}, {@code y = (x − mean)·scale + shift}, over the channels [from, to), and
     * {@code max(y, 0)} when {@code relu}.
     */
    static void scalarNormalize(float[] x, int n, int c, int s, int from, int to, float[] mean, float[] scale,
            float[] shift, boolean relu, float[] y) {
        for (int sample = 0; sample < n; sample++) {
            if (s == 1) {
                int base = sample * c;
                for (int ch = from; ch < to; ch++) {
                    float v = (x[base + ch] - mean[ch]) * scale[ch] + shift[ch];
                    y[base + ch] = relu ? Math.max(v, 0f) : v;
                }
                continue;
            }
            for (int ch = from; ch < to; ch++) {
                int base = (sample * c + ch) * s;
                float mu = mean[ch];
                float k = scale[ch];
                float b = shift[ch];
                if (relu) {
                    for (int i = 0; i < s; i++) {
                        y[base + i] = Math.max((x[base + i] - mu) * k + b, 0f);
                    }
                    continue;
                }
                for (int i = 0; i < s; i++) {
                    y[base + i] = (x[base + i] - mu) * k + b;
                }
            }
        }
    }

    /**
     * Per channel, {@code sumDy[c] = Σ dy} and {@code sumDyXhat[c] = Σ dy·x̂} with {@code x̂ = (x − mean[c])·invStd[c]}:
     * the gradients of β and γ, and the two sums the input gradient needs. Reads x, dy, mean, invStd; writes sumDy
     * and sumDyXhat, both {@code [C]}.
     */
    public static void gradSums(float[] x, float[] dy, int n, int c, int s, float[] mean, float[] invStd,
            double[] sumDy, double[] sumDyXhat) {
        Parallel.forRange(c, work(n, c, s),
                (from, to) -> gradSums(x, dy, n, c, s, from, to, mean, invStd, sumDy, sumDyXhat));
    }

    /** {@link #gradSums} for the channels {@code [from, to)} only: writes sumDy and sumDyXhat there. */
    public static void gradSums(float[] x, float[] dy, int n, int c, int s, int from, int to, float[] mean,
            float[] invStd, double[] sumDy, double[] sumDyXhat) {
        int ch = s == 1 && Simd.VECTORIZED
                ? VectorBatchNorm.gradSums(x, dy, n, c, from, to, mean, invStd, sumDy, sumDyXhat) : from;
        scalarGradSums(x, dy, n, c, s, ch, to, mean, invStd, sumDy, sumDyXhat);
    }

    /** The plain loops of {@link #gradSums} over the channels [from, to). */
    static void scalarGradSums(float[] x, float[] dy, int n, int c, int s, int from, int to, float[] mean,
            float[] invStd, double[] sumDy, double[] sumDyXhat) {
        Arrays.fill(sumDy, from, to, 0);
        Arrays.fill(sumDyXhat, from, to, 0);
        for (int sample = 0; sample < n; sample++) {
            if (s == 1) {
                int base = sample * c;
                for (int ch = from; ch < to; ch++) {
                    float g = dy[base + ch];
                    sumDy[ch] += g;
                    sumDyXhat[ch] += g * ((x[base + ch] - mean[ch]) * invStd[ch]);
                }
                continue;
            }
            for (int ch = from; ch < to; ch++) {
                int base = (sample * c + ch) * s;
                sumDy[ch] += Sums.sum(dy, base, base + s);
                sumDyXhat[ch] += Sums.dotNormalized(dy, x, base, base + s, mean[ch], invStd[ch]);
            }
        }
    }

    /**
     * The input gradient when the batch's own statistics normalised x:
     * {@code dx = γ·invStd/M · (M·dy − Σdy − x̂·Σ(dy·x̂))} per channel, from the sums of {@link #gradSums}; a null
     * gamma means 1. Reads x, dy, mean, invStd, gamma, sumDy, sumDyXhat; writes dx.
     */
    public static void inputGradBatchStats(float[] x, float[] dy, int n, int c, int s, float[] mean, float[] invStd,
            float[] gamma, double[] sumDy, double[] sumDyXhat, float[] dx) {
        Parallel.forRange(c, work(n, c, s),
                (from, to) -> inputGradBatchStats(x, dy, n, c, s, from, to, mean, invStd, gamma, sumDy, sumDyXhat, dx));
    }

    /** {@link #inputGradBatchStats} for the channels {@code [from, to)} only: writes dx's values of those channels. */
    public static void inputGradBatchStats(float[] x, float[] dy, int n, int c, int s, int from, int to,
            float[] mean, float[] invStd, float[] gamma, double[] sumDy, double[] sumDyXhat, float[] dx) {
        double m = (double) n * s;
        float[] meanDy = new float[c];
        float[] meanDyXhat = new float[c];
        float[] scale = new float[c];
        for (int ch = from; ch < to; ch++) {
            meanDy[ch] = (float) (sumDy[ch] / m);
            meanDyXhat[ch] = (float) (sumDyXhat[ch] / m);
            scale[ch] = gamma == null ? invStd[ch] : invStd[ch] * gamma[ch];
        }
        int ch = s == 1 && Simd.VECTORIZED
                ? VectorBatchNorm.inputGrad(x, dy, n, c, from, to, mean, invStd, scale, meanDy, meanDyXhat, dx) : from;
        scalarInputGrad(x, dy, n, c, s, ch, to, mean, invStd, scale, meanDy, meanDyXhat, dx);
    }

    /**
     * The plain loops of {@link #inputGradBatchStats}, {@code dx = scale·(dy − meanDy − x̂·meanDyXhat)}, over the
     * channels [from, to).
     */
    static void scalarInputGrad(float[] x, float[] dy, int n, int c, int s, int from, int to, float[] mean,
            float[] invStd, float[] scale, float[] meanDy, float[] meanDyXhat, float[] dx) {
        for (int sample = 0; sample < n; sample++) {
            if (s == 1) {
                int base = sample * c;
                for (int ch = from; ch < to; ch++) {
                    float xhat = (x[base + ch] - mean[ch]) * invStd[ch];
                    dx[base + ch] = scale[ch] * (dy[base + ch] - meanDy[ch] - xhat * meanDyXhat[ch]);
                }
                continue;
            }
            for (int ch = from; ch < to; ch++) {
                int base = (sample * c + ch) * s;
                float mu = mean[ch];
                float r = invStd[ch];
                float k = scale[ch];
                float a = meanDy[ch];
                float b = meanDyXhat[ch];
                for (int i = 0; i < s; i++) {
                    float xhat = (x[base + i] - mu) * r;
                    dx[base + i] = k * (dy[base + i] - a - xhat * b);
                }
            }
        }
    }

    /**
     * The input gradient when fixed (running) statistics normalised x, so that mean and variance are constants:
     * {@code dx = γ·invStd·dy}; a null gamma means 1. Reads dy, invStd, gamma; writes dx.
     */
    public static void inputGradFixedStats(float[] dy, int n, int c, int s, float[] invStd, float[] gamma, float[] dx) {
        for (int sample = 0; sample < n; sample++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (sample * c + ch) * s;
                float k = gamma == null ? invStd[ch] : invStd[ch] * gamma[ch];
                for (int i = 0; i < s; i++) {
                    dx[base + i] = k * dy[base + i];
                }
            }
        }
    }
}
