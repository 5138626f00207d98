package dev.nabla.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identities that softmax and the losses must satisfy for any input, each checked on {@value #CASES} random cases:
 * random shapes, logits from ±0.1 up to ±1e4, −∞ entries (masked classes) where the identity allows them, and
 * random options. Each case is one seed of {@link Rng}, shown in the test's name, so a failure reproduces exactly.
 *
 * <p>Tolerances are for float32 storage with double accumulation: absolute where the value is bounded (a sum of
 * probabilities), relative to the magnitude otherwise (a log-probability of a logit 1e4 is only good to ~1e-3).
 */
class LossPropertiesTest {
    static final int CASES = 128;

    static LongStream seeds() {
        return LongStream.range(0, CASES);
    }

    // ------------------------------------------------------------------------------------------------ softmax

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void softmaxRowsSumToOne(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 8);
        int c = g.between(1, 40);
        Tensor p = Functional.softmax(g.logits(n, c, true));
        for (int r = 0; r < n; r++) {
            double sum = 0;
            for (int j = 0; j < c; j++) {
                float v = p.get(r, j);
                assertTrue(v >= 0f && v <= 1f, "p = " + v);
                sum += v;
            }
            assertEquals(1.0, sum, 1e-5, "row " + r);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void softmaxIsInvariantToAddingAConstantPerRow(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 8);
        int c = g.between(1, 40);
        // NOTE: logits and shifts are multiples of 1/256 below 2^15, so x + k is exact in float32 and the shifted
        // problem is the same problem; otherwise the rounding of x + k alone would change the differences x_i − x_j
        Tensor x = g.logits(n, c, true);
        Tensor shifted = x.copy();
        for (int r = 0; r < n; r++) {
            float k = Math.round(g.rng.uniform(-1e4f, 1e4f) * 256f) / 256f;
            for (int j = 0; j < c; j++) {
                float v = x.get(r, j);
                if (Float.isFinite(v)) {
                    x.set(Math.round(v * 256f) / 256f, r, j);
                }
                shifted.set(x.get(r, j) + k, r, j);
            }
        }
        assertClose(Functional.softmax(x), Functional.softmax(shifted), 1e-6, 0);
        assertClose(Functional.logSoftmax(x), Functional.logSoftmax(shifted), 1e-5, 1e-6);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void softmaxAlongAnyDimEqualsSoftmaxOfTheTransposedProblemAlongTheLast(long seed) {
        Cases g = new Cases(seed);
        int rank = g.between(1, 4);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = g.between(1, 7);
        }
        int dim = g.between(0, rank - 1);
        Tensor x = g.values(Shape.of(dims));
        Tensor moved = moveToLast(x, dim);
        assertClose(moveToLast(Functional.softmax(x, dim), dim), Functional.softmax(moved, -1), 1e-6, 1e-5);
        assertClose(moveToLast(Functional.logSoftmax(x, dim - rank), dim), Functional.logSoftmax(moved), 1e-5, 1e-6);
    }

    // ------------------------------------------------------------------------------------------------ cross-entropy

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void crossEntropyIsNonNegativeAndFinite(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 8);
        int c = g.between(1, 30);
        float smoothing = g.rng.nextInt(2) == 0 ? 0f : g.rng.nextFloat();
        int[] targets = g.labels(n, c);
        Tensor logits = smoothing == 0f ? g.logitsMaskedOffTarget(targets, c) : g.logits(n, c, false);
        Tensor weight = g.rng.nextInt(2) == 0 ? null : g.positive(c);
        Reduction reduction = Reduction.values()[g.rng.nextInt(3)];
        Tensor hard = Functional.crossEntropy(logits, targets, weight, Functional.DEFAULT_IGNORE_INDEX, smoothing,
                reduction);
        Tensor soft = Functional.crossEntropy(g.logits(n, c, false), g.distributions(n, c), weight, smoothing,
                reduction);
        for (Tensor loss : new Tensor[] {hard, soft}) {
            for (float v : loss.data()) {
                assertTrue(v >= 0f && v < Float.POSITIVE_INFINITY,
                        "cross-entropy " + v + " with smoothing " + smoothing + ", " + reduction);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void crossEntropyGradientRowsSumToZeroForHardTargets(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 8);
        int c = g.between(1, 30);
        int[] targets = g.labels(n, c);
        // NOTE: holds with label smoothing too (the smoothed target still sums to 1), but not with class weights
        float smoothing = g.rng.nextInt(2) == 0 ? 0f : g.rng.nextFloat();
        Tensor logits = (smoothing == 0f ? g.logitsMaskedOffTarget(targets, c) : g.logits(n, c, false))
                .requiresGrad(true);
        Functional.crossEntropy(logits, targets, null, Functional.DEFAULT_IGNORE_INDEX, smoothing, Reduction.MEAN)
                .backward();
        for (int r = 0; r < n; r++) {
            double sum = 0;
            double scale = 0;
            for (int j = 0; j < c; j++) {
                sum += logits.grad().get(r, j);
                scale += Math.abs(logits.grad().get(r, j));
            }
            assertEquals(0.0, sum, 1e-6 * Math.max(scale, 1.0 / n), "row " + r);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void crossEntropyEqualsNllOfLogSoftmaxInValueAndGradient(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 6);
        int c = g.between(1, 20);
        int extra = g.rng.nextInt(2) == 0 ? 0 : g.between(1, 4);     // [N, C] or [N, C, d]
        int positions = n * Math.max(extra, 1);
        int[] targets = g.labels(positions, c);
        if (positions > 1 && g.rng.nextInt(3) == 0) {
            targets[g.rng.nextInt(positions)] = Functional.DEFAULT_IGNORE_INDEX;
        }
        Tensor weight = g.rng.nextInt(2) == 0 ? null : g.positive(c);
        Reduction reduction = Reduction.values()[g.rng.nextInt(3)];
        Tensor values = extra == 0 ? g.logitsMaskedOffTarget(targets, c) : g.values(Shape.of(n, c, extra));

        Tensor a = values.copy().requiresGrad(true);
        Tensor ce = Functional.crossEntropy(a, targets, weight, Functional.DEFAULT_IGNORE_INDEX, 0f, reduction);
        Tensor b = values.copy().requiresGrad(true);
        Tensor nll = Functional.nllLoss(Functional.logSoftmax(b, 1), targets, weight, Functional.DEFAULT_IGNORE_INDEX,
                reduction);
        assertClose(nll, ce, 1e-5, 1e-6);
        Tensor upstream = g.values(ce.shape());
        ce.backward(upstream);
        nll.backward(upstream);
        assertClose(b.grad(), a.grad(), 1e-5, 1e-4 * maxAbs(upstream));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void crossEntropyWithSoftTargetsIsEntropyPlusKlDivergence(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 8);
        int c = g.between(1, 30);
        Tensor p = g.distributions(n, c);
        Tensor logits = g.logits(n, c, false);
        // CE(p, q) = −Σ p log q = −Σ p log p + Σ p (log p − log q) = H(p) + KL(p ‖ q), per row, averaged
        double ce = Functional.crossEntropy(logits, p, null, 0f, Reduction.MEAN).item();
        double kl = Functional.klDiv(Functional.logSoftmax(logits), p, Reduction.BATCHMEAN, false).item();
        double entropy = 0;
        for (float v : p.data()) {
            entropy -= v == 0f ? 0 : v * Math.log(v);
        }
        entropy /= n;
        assertEquals(ce, entropy + kl, 1e-5 * Math.max(1, Math.abs(ce)));
    }

    // ------------------------------------------------------------------------------------------------ KL, BCE, MSE

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void klDivergenceOfADistributionFromItselfIsZero(long seed) {
        Cases g = new Cases(seed);
        int n = g.between(1, 8);
        int c = g.between(1, 30);
        Tensor z = g.logits(n, c, true);
        Tensor logp = Functional.logSoftmax(z);
        Tensor p = Functional.softmax(z);
        assertEquals(0.0, Functional.klDiv(logp, p, Reduction.BATCHMEAN, false).item(), 1e-5);
        assertEquals(0.0, Functional.klDiv(logp, logp, Reduction.SUM, true).item(), 0.0);
        Tensor distributions = g.distributions(n, c);
        Tensor logs = Tensor.zeros(n, c);
        for (int i = 0; i < logs.size(); i++) {
            logs.data()[i] = (float) Math.log(distributions.data()[i]);
        }
        assertEquals(0.0, Functional.klDiv(logs, distributions, Reduction.BATCHMEAN, false).item(), 1e-6);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void bceWithLogitsEqualsBceOfSigmoidForModerateLogits(long seed) {
        Cases g = new Cases(seed);
        // NOTE: |x| ≤ 5: beyond it 1 − σ(x) rounds in float32 and BCE on probabilities loses digits that the
        // logit form keeps, which is the reason BCEWithLogitsLoss exists
        Shape shape = Shape.of(g.between(1, 6), g.between(1, 12));
        Tensor x = Tensor.zeros(shape);
        Tensor y = Tensor.zeros(shape);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = g.rng.uniform(-5f, 5f);
            y.data()[i] = g.rng.nextInt(3) == 0 ? g.rng.nextInt(2) : g.rng.nextFloat();
        }
        Tensor weight = g.rng.nextInt(2) == 0 ? null : g.positive(shape);
        Reduction reduction = Reduction.values()[g.rng.nextInt(3)];
        Tensor a = x.copy().requiresGrad(true);
        Tensor withLogits = Functional.binaryCrossEntropyWithLogits(a, y, weight, null, reduction);
        Tensor b = x.copy().requiresGrad(true);
        Tensor ofSigmoid = Functional.binaryCrossEntropy(Functional.sigmoid(b), y, weight, reduction);
        assertClose(ofSigmoid, withLogits, 1e-4, 1e-5);
        Tensor upstream = g.values(withLogits.shape());
        withLogits.backward(upstream);
        ofSigmoid.backward(upstream);
        assertClose(b.grad(), a.grad(), 1e-4, 1e-5 * maxAbs(upstream));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void mseIsSymmetric(long seed) {
        Cases g = new Cases(seed);
        Shape shape = Shape.of(g.between(1, 6), g.between(1, 12));
        Tensor x = g.values(shape);
        Tensor y = g.values(shape);
        Reduction reduction = Reduction.values()[g.rng.nextInt(3)];
        Tensor xFirst = x.copy().requiresGrad(true);
        Tensor xSecond = x.copy().requiresGrad(true);
        Tensor forward = Functional.mseLoss(xFirst, y, reduction);
        Tensor backward = Functional.mseLoss(y, xSecond, reduction);
        assertClose(forward, backward, 0, 0);
        Tensor upstream = g.values(forward.shape());
        forward.backward(upstream);
        backward.backward(upstream);
        assertClose(xFirst.grad(), xSecond.grad(), 0, 0);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** Every entry within {@code rel·|expected| + abs}; infinities must match exactly. */
    private static void assertClose(Tensor expected, Tensor actual, double rel, double abs) {
        assertEquals(expected.shape(), actual.shape());
        for (int i = 0; i < expected.size(); i++) {
            float e = expected.data()[i];
            float a = actual.data()[i];
            if (Float.isInfinite(e) || Float.isInfinite(a)) {
                assertEquals(e, a, "entry " + i);
            } else {
                assertEquals(e, a, rel * Math.abs(e) + abs, "entry " + i + " of " + expected.shape());
            }
        }
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.data()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** A copy of x with dimension {@code dim} moved to the end, the others in order: the transposed problem. */
    private static Tensor moveToLast(Tensor x, int dim) {
        int[] dims = x.shape().dims();
        int rank = dims.length;
        int[] order = new int[rank];
        for (int i = 0, k = 0; i < rank; i++) {
            if (i != dim) {
                order[k++] = i;
            }
        }
        order[rank - 1] = dim;
        int[] movedDims = new int[rank];
        for (int i = 0; i < rank; i++) {
            movedDims[i] = dims[order[i]];
        }
        Tensor out = Tensor.zeros(movedDims);
        int[] index = new int[rank];
        int[] movedIndex = new int[rank];
        for (int flat = 0; flat < x.size(); flat++) {
            for (int i = rank - 1, rest = flat; i >= 0; i--) {
                index[i] = rest % dims[i];
                rest /= dims[i];
            }
            for (int i = 0; i < rank; i++) {
                movedIndex[i] = index[order[i]];
            }
            out.set(x.data()[flat], movedIndex);
        }
        return out;
    }

    /** Random inputs for one case, all drawn from one seeded {@link Rng}. */
    static final class Cases {
        private static final float[] SCALES = {0.1f, 1f, 10f, 100f, 1e4f};
        final Rng rng;
        private final float scale;

        Cases(long seed) {
            rng = new Rng(seed);
            scale = SCALES[rng.nextInt(SCALES.length)];
        }

        int between(int low, int high) {
            return low + rng.nextInt(high - low + 1);
        }

        /** Uniform in ±scale, the scale drawn once per case from 0.1 to 1e4. */
        Tensor values(Shape shape) {
            Tensor t = Tensor.zeros(shape);
            for (int i = 0; i < t.size(); i++) {
                t.data()[i] = rng.uniform(-scale, scale);
            }
            return t;
        }

        /** Logits {@code [n, c]}; with {@code masked}, about one entry in eight −∞, never a whole row. */
        Tensor logits(int n, int c, boolean masked) {
            Tensor z = values(Shape.of(n, c));
            if (masked) {
                for (int r = 0; r < n; r++) {
                    int keep = rng.nextInt(c);
                    for (int j = 0; j < c; j++) {
                        if (j != keep && rng.nextInt(8) == 0) {
                            z.set(Float.NEGATIVE_INFINITY, r, j);
                        }
                    }
                }
            }
            return z;
        }

        /** Logits {@code [n, c]} with about one entry in eight −∞, but never at a row's target nor a whole row. */
        Tensor logitsMaskedOffTarget(int[] targets, int c) {
            Tensor z = values(Shape.of(targets.length, c));
            for (int r = 0; r < targets.length; r++) {
                int keep = targets[r] >= 0 && targets[r] < c ? targets[r] : rng.nextInt(c);
                for (int j = 0; j < c; j++) {
                    if (j != keep && rng.nextInt(8) == 0) {
                        z.set(Float.NEGATIVE_INFINITY, r, j);
                    }
                }
            }
            return z;
        }

        int[] labels(int n, int c) {
            int[] t = new int[n];
            for (int i = 0; i < n; i++) {
                t[i] = rng.nextInt(c);
            }
            return t;
        }

        /** n probability distributions over c classes, some entries exactly 0 (never all of a row). */
        Tensor distributions(int n, int c) {
            Tensor p = Tensor.zeros(n, c);
            for (int r = 0; r < n; r++) {
                double sum = 0;
                int keep = rng.nextInt(c);
                for (int j = 0; j < c; j++) {
                    float v = j != keep && rng.nextInt(4) == 0 ? 0f : rng.nextFloat() + 1e-3f;
                    p.set(v, r, j);
                    sum += v;
                }
                for (int j = 0; j < c; j++) {
                    p.set((float) (p.get(r, j) / sum), r, j);
                }
            }
            return p;
        }

        /** Positive weights in [0.1, 3). */
        Tensor positive(int... dims) {
            return positive(Shape.of(dims));
        }

        Tensor positive(Shape shape) {
            Tensor w = Tensor.zeros(shape);
            for (int i = 0; i < w.size(); i++) {
                w.data()[i] = rng.uniform(0.1f, 3f);
            }
            return w;
        }
    }
}
