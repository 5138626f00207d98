package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.Locale;

/**
 * Weight initialisation, following {@code torch.nn.init}: the scale of the initial weights decides whether the
 * signal and its gradient keep their size through many layers. Xavier (Glorot) keeps the variance for
 * symmetric activations such as tanh; Kaiming (He) doubles it for ReLU, which zeroes half its inputs.
 *
 * <p>Fans follow PyTorch: for a weight {@code [out, in]}, fan_in = in and fan_out = out (a higher-rank weight
 * multiplies both by the product of its trailing dimensions). All functions fill the tensor in place.
 */
public final class Init {
    private static Rng defaultGenerator = new Rng(0);

    /** Which fan Kaiming initialisation preserves: the forward signal (fan_in) or the backward gradient (fan_out). */
    public enum Mode { FAN_IN, FAN_OUT }

    /**
     * The ways {@link MlpSpec} (and the command line) can initialise a {@link Linear} layer; {@link #toString()} is
     * the name the command line takes.
     */
    public enum Scheme {
        /** PyTorch's: weight and bias U(±1/√fan_in), as {@link Linear}'s constructor draws them. */
        DEFAULT,
        /** Xavier/Glorot uniform with gain 1, zero bias: keeps the variance through symmetric activations (tanh). */
        XAVIER,
        /** Kaiming/He normal over fan_in with the activation's gain, zero bias: keeps the variance through ReLUs. */
        HE,
        /** N(0, 1) weights, zero bias: far too large, the textbook case of exploding gradients in a deep ReLU net. */
        NORMAL;

        /**
         * Re-initialises {@code layer} for a network of {@code activation}s, drawing from {@code rng} (nothing for
         * {@link #DEFAULT}: the constructor already drew PyTorch's).
         */
        public void apply(Linear layer, Activation activation, Rng rng) {
            switch (this) {
                case DEFAULT -> {
                    return;
                }
                case XAVIER -> xavierUniform(layer.weight(), 1.0, rng);
                case HE -> kaimingNormal(layer.weight(), LeakyReLU.DEFAULT_SLOPE, Mode.FAN_IN, activation.toString(),
                        rng);
                case NORMAL -> normal(layer.weight(), 0, 1, rng);
            }
            if (layer.bias() != null) {
                constant(layer.bias(), 0f);
            }
        }

        /** The name the command line takes: {@code default}, {@code xavier}, {@code he}, {@code normal}. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Init() {
    }

    /**
     * The generator that layers built without an explicit {@link Rng} draw from (seed 0 unless
     * {@link #manualSeed} says otherwise), like PyTorch's global generator.
     */
    public static synchronized Rng defaultGenerator() {
        return defaultGenerator;
    }

    /** Reseeds the {@link #defaultGenerator()}, like {@code torch.manual_seed}. */
    public static synchronized void manualSeed(long seed) {
        defaultGenerator = new Rng(seed);
    }

    /**
     * The gain {@code torch.nn.init.calculate_gain} recommends for a nonlinearity: 1 for linear and sigmoid,
     * 5/3 for tanh, √2 for relu, √(2/(1 + slope²)) for leaky_relu.
     */
    public static double gain(String nonlinearity, double negativeSlope) {
        return switch (nonlinearity) {
            case "linear", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3.0;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + negativeSlope * negativeSlope));
            default -> throw new IllegalArgumentException("no gain known for nonlinearity '" + nonlinearity
                    + "': use linear, sigmoid, tanh, relu or leaky_relu");
        };
    }

    /** fan_in of a weight: its second dimension times its receptive field. */
    public static int fanIn(Tensor w) {
        checkFans(w);
        return w.dim(1) * receptiveField(w);
    }

    /** fan_out of a weight: its first dimension times its receptive field. */
    public static int fanOut(Tensor w) {
        checkFans(w);
        return w.dim(0) * receptiveField(w);
    }

    private static int receptiveField(Tensor w) {
        return w.size() / (w.dim(0) * w.dim(1));
    }

    private static void checkFans(Tensor w) {
        if (w.rank() < 2) {
            throw new IllegalArgumentException("fan in and fan out need a weight of rank ≥ 2, got shape " + w.shape());
        }
    }

    /** U(low, high). */
    public static void uniform(Tensor t, double low, double high, Rng rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (low + (high - low) * rng.nextFloat());
        }
    }

    /** N(mean, std²). */
    public static void normal(Tensor t, double mean, double std, Rng rng) {
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (mean + std * rng.nextGaussian());
        }
    }

    /** Every value set to {@code value} (zeros for biases). */
    public static void constant(Tensor t, float value) {
        Arrays.fill(t.data(), value);
    }

    /** Xavier/Glorot uniform: U(−a, a) with a = gain·√(6/(fan_in + fan_out)). */
    public static void xavierUniform(Tensor w, double gain, Rng rng) {
        double a = gain * Math.sqrt(6.0 / (fanIn(w) + fanOut(w)));
        uniform(w, -a, a, rng);
    }

    /** Xavier/Glorot normal: N(0, std²) with std = gain·√(2/(fan_in + fan_out)). */
    public static void xavierNormal(Tensor w, double gain, Rng rng) {
        normal(w, 0, gain * Math.sqrt(2.0 / (fanIn(w) + fanOut(w))), rng);
    }

    /**
     * Kaiming/He uniform: U(−b, b) with b = √3 · gain/√fan, gain from {@link #gain(String, double)}.
     * With {@code "relu"} and fan_in this keeps the variance of ReLU activations constant across layers.
     */
    public static void kaimingUniform(Tensor w, double negativeSlope, Mode mode, String nonlinearity, Rng rng) {
        double std = gain(nonlinearity, negativeSlope) / Math.sqrt(mode == Mode.FAN_IN ? fanIn(w) : fanOut(w));
        double bound = Math.sqrt(3.0) * std;
        uniform(w, -bound, bound, rng);
    }

    /** Kaiming/He normal: N(0, std²) with std = gain/√fan. */
    public static void kaimingNormal(Tensor w, double negativeSlope, Mode mode, String nonlinearity, Rng rng) {
        normal(w, 0, gain(nonlinearity, negativeSlope) / Math.sqrt(mode == Mode.FAN_IN ? fanIn(w) : fanOut(w)), rng);
    }

    /**
     * What {@code torch.nn.Linear.reset_parameters} does: weight by Kaiming uniform with a = √5, which works out
     * to U(−1/√fan_in, 1/√fan_in), and the bias (when present) from the same range.
     */
    public static void pytorchDefault(Tensor weight, Tensor bias, Rng rng) {
        kaimingUniform(weight, Math.sqrt(5.0), Mode.FAN_IN, "leaky_relu", rng);
        if (bias != null) {
            double bound = 1.0 / Math.sqrt(fanIn(weight));
            uniform(bias, -bound, bound, rng);
        }
    }
}
