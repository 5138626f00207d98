package dev.nabla.diagnostics;

import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.ops.Activation;

/** The sums behind {@link GradientMonitor}'s figures, over {@code float[]} and in double. */
final class ActivationMath {
    private ActivationMath() {
    }

    /** ‖x‖₂. */
    static double norm(float[] x) {
        double sq = 0;
        for (float v : x) {
            sq += (double) v * v;
        }
        return Math.sqrt(sq);
    }

    /** ‖a − b‖₂. */
    static double distance(float[] a, float[] b) {
        double sq = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            sq += d * d;
        }
        return Math.sqrt(sq);
    }

    /** The mean of x (NaN for no values). */
    static double mean(float[] x) {
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        return sum / x.length;
    }

    /** The fraction of entries that are exactly 0. */
    static double zeroFraction(float[] x) {
        long zeros = 0;
        for (float v : x) {
            if (v == 0) {
                zeros++;
            }
        }
        return x.length == 0 ? 0 : (double) zeros / x.length;
    }

    /**
     * The statistics of an activation's output {@code y}, read as {@code [batch, units, rest]}: a unit is a feature of
     * {@code [N, F]} ({@code rest} = 1) or a channel, a whole feature map, of {@code [N, C, H, W]} ({@code rest} =
     * H·W), which is dead only when 0 at every position for every sample.
     */
    static ActivationStats stats(long step, String module, Activation kind, float[] y, int batch, int units) {
        double sum = 0;
        double sq = 0;
        long saturated = 0;
        for (float v : y) {
            sum += v;
            sq += (double) v * v;
            if (kind == Activation.SIGMOID && (v < GradientMonitor.SIGMOID_LOW || v > GradientMonitor.SIGMOID_HIGH)
                    || kind == Activation.TANH && Math.abs(v) > GradientMonitor.TANH_LIMIT) {
                saturated++;
            }
        }
        int n = y.length;
        double mean = sum / n;
        double std = Math.sqrt(Math.max(0, sq / n - mean * mean));
        boolean saturates = kind.saturates();
        double dead = kind == Activation.RELU ? deadFraction(y, batch, units) : Double.NaN;
        return new ActivationStats(step, module, kind, mean, std, saturates ? (double) saturated / n : Double.NaN, dead);
    }

    /** The fraction of units j whose outputs y[s, j, r] are 0 for every sample s and position r. */
    static double deadFraction(float[] y, int batch, int units) {
        int rest = units == 0 ? 0 : y.length / batch / units;
        int dead = 0;
        for (int j = 0; j < units; j++) {
            boolean alive = false;
            for (int s = 0; s < batch && !alive; s++) {
                int at = (s * units + j) * rest;
                for (int r = 0; r < rest && !alive; r++) {
                    alive = y[at + r] != 0;
                }
            }
            if (!alive) {
                dead++;
            }
        }
        return units == 0 ? 0 : (double) dead / units;
    }
}
