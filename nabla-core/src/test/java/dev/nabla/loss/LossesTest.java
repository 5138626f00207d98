package dev.nabla.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.ops.Functional;
import dev.nabla.ops.Reduction;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The loss classes: their defaults and options give exactly the functional forms (whose values are pinned against
 * PyTorch in {@code dev.nabla.ops.LossOpsTest}), and bad arguments fail with messages that name the problem, the
 * values or positions involved, and the fix.
 */
class LossesTest {
    private final Rng rng = new Rng(11);
    private final Tensor logits = Tensor.randn(rng, 4, 3);
    private final int[] labels = {2, 0, 1, 1};
    private final Tensor classWeights = Tensor.of(new float[] {0.5f, 2f, 1.5f}, 3);

    // --- defaults and builders equal the functional forms ---------------------------------------------------------

    @Test
    void theRegressionLossesHavePyTorchsDefaults() {
        Tensor x = Tensor.of(new float[] {0f, 3f, -0.5f}, 3);
        Tensor y = Tensor.zeros(3);
        assertEquals((0 + 3 + 0.5) / 3, new L1Loss().apply(x, y).item(), 1e-6);
        // β = δ = 1: 3 is outside the band (3 − ½), −0.5 inside (½·0.25)
        assertEquals((0 + 2.5 + 0.125) / 3, new SmoothL1Loss().apply(x, y).item(), 1e-6);
        assertEquals((0 + 2.5 + 0.125) / 3, new HuberLoss().apply(x, y).item(), 1e-6);
        assertEquals(4.125, new HuberLoss(Reduction.SUM, 2).apply(x, y).item(), 1e-5,
                "δ = 2: 3 → 2·(3 − 1) = 4, −0.5 → 0.125");
    }

    @Test
    void crossEntropyDefaultsArePyTorchs() {
        assertSame(z -> Functional.crossEntropy(z, labels, null, -100, 0f, Reduction.MEAN),
                z -> new CrossEntropyLoss().apply(z, labels));
        assertSame(z -> Functional.crossEntropy(z, labels), z -> CrossEntropyLoss.builder().build().apply(z, labels));
        Tensor probs = Functional.softmax(Tensor.randn(rng, 4, 3));
        assertSame(z -> Functional.crossEntropy(z, probs, null, 0f, Reduction.MEAN),
                z -> new CrossEntropyLoss().apply(z, probs));
    }

    @Test
    void crossEntropyBuilderPassesEveryOption() {
        int[] withIgnored = {2, 1, 1, 0};
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            CrossEntropyLoss loss = CrossEntropyLoss.builder().weight(classWeights).ignoreIndex(1).labelSmoothing(0.2f)
                    .reduction(r).build();
            assertSame(z -> Functional.crossEntropy(z, withIgnored, classWeights, 1, 0.2f, r),
                    z -> loss.apply(z, withIgnored));
            Tensor probs = Functional.softmax(Tensor.randn(rng, 4, 3));
            assertSame(z -> Functional.crossEntropy(z, probs, classWeights, 0.2f, r), z -> loss.apply(z, probs));
        }
    }

    @Test
    void nllDefaultsAndOptions() {
        assertSame(x -> Functional.nllLoss(x, labels, null, -100, Reduction.MEAN), x -> new NLLLoss().apply(x, labels));
        assertSame(x -> Functional.nllLoss(x, labels, classWeights, 0, Reduction.SUM),
                x -> new NLLLoss(classWeights, 0, Reduction.SUM).apply(x, labels));
        // NLL of log-softmax is cross-entropy
        assertSame(z -> new CrossEntropyLoss().apply(z, labels),
                z -> new NLLLoss().apply(Functional.logSoftmax(z, 1), labels), 1e-6f);
    }

    /** KLDivLoss defaults to BATCHMEAN, the divergence per sample; PyTorch's default, MEAN, divides by N·C. */
    @Test
    void klDivDefaultsToTheBatchMean() {
        Tensor target = Functional.softmax(Tensor.randn(rng, 4, 3));
        Tensor logTarget = Functional.logSoftmax(Tensor.randn(rng, 4, 3));
        assertSame(x -> Functional.klDiv(x, target, Reduction.BATCHMEAN, false), x -> new KLDivLoss().apply(x, target));
        for (Reduction r : Reduction.values()) {
            assertSame(x -> Functional.klDiv(x, logTarget, r, true), x -> new KLDivLoss(r, true).apply(x, logTarget));
        }
        Tensor x = Functional.logSoftmax(logits);
        float batchMean = new KLDivLoss().apply(x, target).item();
        float mean = new KLDivLoss(Reduction.MEAN, false).apply(x, target).item();
        assertEquals(batchMean / 3, mean, 1e-6f);
    }

    @Test
    void binaryLossesDefaultsAndOptions() {
        Tensor target = Tensor.rand(rng, 4, 3);
        Tensor weight = Tensor.rand(rng, 4, 3);
        Tensor posWeight = Tensor.of(new float[] {1f, 2f, 3f}, 3);
        assertSame(z -> Functional.binaryCrossEntropyWithLogits(z, target, null, null, Reduction.MEAN),
                z -> new BCEWithLogitsLoss().apply(z, target));
        assertSame(z -> Functional.binaryCrossEntropyWithLogits(z, target, weight, posWeight, Reduction.NONE),
                z -> new BCEWithLogitsLoss(weight, posWeight, Reduction.NONE).apply(z, target));
        assertSame(z -> Functional.binaryCrossEntropy(Functional.sigmoid(z), target, null, Reduction.MEAN),
                z -> new BCELoss().apply(Functional.sigmoid(z), target));
        assertSame(z -> Functional.binaryCrossEntropy(Functional.sigmoid(z), target, weight, Reduction.SUM),
                z -> new BCELoss(weight, Reduction.SUM).apply(Functional.sigmoid(z), target));
        // BCE of sigmoid is BCE with logits, away from saturation
        assertSame(z -> new BCEWithLogitsLoss().apply(z, target),
                z -> new BCELoss().apply(Functional.sigmoid(z), target), 1e-6f);
    }

    @Test
    void mseDefaultsAndOptions() {
        Tensor target = Tensor.randn(rng, 4, 3);
        assertSame(x -> Functional.mseLoss(x, target, Reduction.MEAN), x -> new MSELoss().apply(x, target));
        assertSame(x -> Functional.mseLoss(x, target, Reduction.NONE), x -> new MSELoss(Reduction.NONE).apply(x, target));
    }

    // --- options validated --------------------------------------------------------------------------------------

    @Test
    void labelSmoothingOutsideZeroToOneIsRejected() {
        for (float bad : new float[] {-0.1f, 1.5f, Float.NaN}) {
            assertMessage("label smoothing must be in [0, 1], got " + bad,
                    () -> CrossEntropyLoss.builder().labelSmoothing(bad));
            assertMessage("cross_entropy: label smoothing must be in [0, 1], got " + bad,
                    () -> Functional.crossEntropy(logits, labels, null, -100, bad, Reduction.MEAN));
        }
        CrossEntropyLoss.builder().labelSmoothing(0f).labelSmoothing(1f);   // both ends allowed
    }

    @Test
    void batchMeanIsForTheKlDivergenceOnly() {
        String fix = " does not take BATCHMEAN (the KL divergence's reduction): use MEAN, SUM or NONE";
        assertMessage("CrossEntropyLoss" + fix, () -> CrossEntropyLoss.builder().reduction(Reduction.BATCHMEAN));
        assertMessage("NLLLoss" + fix, () -> new NLLLoss(null, -100, Reduction.BATCHMEAN));
        assertMessage("BCEWithLogitsLoss" + fix, () -> new BCEWithLogitsLoss(null, null, Reduction.BATCHMEAN));
        assertMessage("BCELoss" + fix, () -> new BCELoss(null, Reduction.BATCHMEAN));
        assertMessage("MSELoss" + fix, () -> new MSELoss(Reduction.BATCHMEAN));
        assertMessage("reduction BATCHMEAN is for the KL divergence only: use MEAN, SUM or NONE",
                () -> Functional.mseLoss(logits, logits, Reduction.BATCHMEAN));
        assertMessage("reduction BATCHMEAN is for the KL divergence only: use MEAN, SUM or NONE",
                () -> Functional.crossEntropy(logits, labels, null, -100, 0f, Reduction.BATCHMEAN));
    }

    @Test
    void aNullReductionIsRejected() {
        assertThrows(NullPointerException.class, () -> new MSELoss(null));
        assertThrows(NullPointerException.class, () -> new KLDivLoss(null, false));
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> Functional.crossEntropy(logits, labels, null, -100, 0f, null));
        assertEquals("reduction is null: use Reduction.MEAN, SUM or NONE (or BATCHMEAN for the KL divergence)",
                e.getMessage());
    }

    @Test
    void classWeightsMustHaveOneEntryPerClass() {
        Tensor four = Tensor.ones(4);
        assertMessage("cross_entropy: class weight [4] must be [3], one weight per class",
                () -> CrossEntropyLoss.builder().weight(four).build().apply(logits, labels));
        assertMessage("nll_loss: class weight [4] must be [3], one weight per class",
                () -> new NLLLoss(four, -100, Reduction.MEAN).apply(logits, labels));
        assertMessage("cross_entropy: class weight [1, 3] must be [3], one weight per class",
                () -> CrossEntropyLoss.builder().weight(Tensor.ones(1, 3)).build().apply(logits, labels));
    }

    @Test
    void oneTargetPerPositionIsRequired() {
        assertMessage("cross_entropy got logits [4, 3] but 3 targets: give one class index per row, 4 in all",
                () -> new CrossEntropyLoss().apply(logits, new int[] {0, 1, 2}));
        assertMessage("cross_entropy got logits [2, 3, 4] but 2 targets: give one class index per position of [2, 4],"
                + " 8 in all", () -> new CrossEntropyLoss().apply(Tensor.zeros(2, 3, 4), new int[] {0, 1}));
        assertMessage("nll_loss got input [4, 3] but 5 targets: give one class index per position, 4 in all",
                () -> new NLLLoss().apply(logits, new int[] {0, 1, 2, 0, 1}));
        assertMessage("cross_entropy: target shape [4, 2] differs from input shape [4, 3]: give one target per input "
                + "value", () -> new CrossEntropyLoss().apply(logits, Tensor.zeros(4, 2)));
    }

    @Test
    void aTargetOutsideTheClassRangeIsNamedWithItsPosition() {
        assertMessage("cross_entropy target 3 at row 2 is outside the class range [0, 2] of logits [4, 3]: labels "
                        + "must be class indices 0..2 (or the ignore index -100)",
                () -> new CrossEntropyLoss().apply(logits, new int[] {0, 1, 3, 2}));
        assertMessage("cross_entropy target -1 at row 0 is outside the class range [0, 2] of logits [4, 3]: labels "
                        + "must be class indices 0..2 (or the ignore index -100)",
                () -> new CrossEntropyLoss().apply(logits, new int[] {-1, 1, 2, 2}));
        int[] nd = {0, 1, 2, 0, 1, 2, 7, 0};   // targets [2, 4]: the 7 is at [1, 2]
        assertMessage("cross_entropy target 7 at position [1, 2] of the targets [2, 4] is outside the class range "
                        + "[0, 2] of logits [2, 3, 4]: labels must be class indices 0..2 (or the ignore index -100)",
                () -> new CrossEntropyLoss().apply(Tensor.zeros(2, 3, 4), nd));
        assertMessage("nll_loss target 7 at position [1, 2] of the targets [2, 4] is outside the class range [0, 2] "
                        + "of input [2, 3, 4]: labels must be class indices 0..2 (or the ignore index -100)",
                () -> new NLLLoss().apply(Tensor.zeros(2, 3, 4), nd));
        // an ignore index inside the class range is a class that is skipped, so it is not offered as an escape
        assertMessage("nll_loss target 5 at row 1 is outside the class range [0, 2] of input [4, 3]: labels must be "
                + "class indices 0..2", () -> new NLLLoss(null, 1, Reduction.MEAN).apply(logits, new int[] {0, 5, 1, 1}));
    }

    @Test
    void bceInputsMustBeProbabilities() {
        Tensor y = Tensor.zeros(2, 3);
        Tensor x = Tensor.of(new float[][] {{0.5f, 0f, 1f}, {0.2f, 1.5f, 0.1f}});
        assertMessage("binary_cross_entropy: input 1.5 at [1, 1] is not a probability in [0, 1]: apply sigmoid first,"
                + " or use BCEWithLogitsLoss on the logits", () -> new BCELoss().apply(x, y));
        x.data()[4] = -1e-7f;
        assertMessage("binary_cross_entropy: input -1.0E-7 at [1, 1] is not a probability in [0, 1]: apply sigmoid "
                + "first, or use BCEWithLogitsLoss on the logits", () -> new BCELoss().apply(x, y));
        assertMessage("binary_cross_entropy: weight [3] must have the input's shape [2, 3]",
                () -> new BCELoss(Tensor.ones(3), Reduction.MEAN).apply(Tensor.zeros(2, 3), y));
        assertMessage("binary_cross_entropy_with_logits: pos_weight [2] must have the input's shape [2, 3] or be [3],"
                        + " one value per class along the last dimension",
                () -> new BCEWithLogitsLoss(null, Tensor.ones(2), Reduction.MEAN).apply(Tensor.zeros(2, 3), y));
    }

    @Test
    void klTargetsMustNotBeNegative() {
        Tensor y = Tensor.of(new float[][] {{0.5f, 0.5f}, {-0.1f, 1.1f}});
        assertMessage("kl_div: target -0.1 at [1, 0] is negative: targets are probabilities (use logTarget if they "
                + "are log-probabilities)", () -> new KLDivLoss().apply(Tensor.zeros(2, 2), y));
        new KLDivLoss(Reduction.SUM, true).apply(Tensor.zeros(2, 2), y);   // log targets may be negative
    }

    @Test
    void lossesNeedMatchingShapes() {
        String message = ": target shape [3, 4] differs from input shape [4, 3]: give one target per input value";
        Tensor t = Tensor.zeros(3, 4);
        assertMessage("kl_div" + message, () -> new KLDivLoss().apply(logits, t));
        assertMessage("binary_cross_entropy_with_logits" + message, () -> new BCEWithLogitsLoss().apply(logits, t));
        assertMessage("binary_cross_entropy" + message, () -> new BCELoss().apply(Tensor.zeros(4, 3), t));
        assertMessage("mse_loss" + message, () -> new MSELoss().apply(logits, t));
    }

    // --- NaN is reported where it enters, with its position --------------------------------------------------------

    @Test
    void aNaNInTheInputOrTargetIsReportedWithItsPosition() {
        Tensor x = Tensor.of(new float[][] {{0.2f, 0.4f, 0.6f}, {0.1f, Float.NaN, 0.3f}});
        Tensor clean = Tensor.of(new float[][] {{0.2f, 0.4f, 0.6f}, {0.1f, 0.5f, 0.3f}});
        String advice = "A NaN model output usually means training diverged: lower the learning rate or clip "
                + "gradients; a NaN in the data must be cleaned before training.";
        String input = ": input has NaN at [1, 1] (shape [2, 3]). " + advice;
        String target = ": target has NaN at [1, 1] (shape [2, 3]). " + advice;
        assertMessage("cross_entropy" + input, () -> new CrossEntropyLoss().apply(x, new int[] {0, 1}));
        assertMessage("cross_entropy" + input, () -> new CrossEntropyLoss().apply(x, clean));
        assertMessage("cross_entropy" + target, () -> new CrossEntropyLoss().apply(clean, x));
        assertMessage("nll_loss" + input, () -> new NLLLoss().apply(x, new int[] {0, 1}));
        assertMessage("kl_div" + input, () -> new KLDivLoss().apply(x, clean));
        assertMessage("kl_div" + target, () -> new KLDivLoss().apply(clean, x));
        assertMessage("kl_div" + target, () -> new KLDivLoss(Reduction.SUM, true).apply(clean, x));
        assertMessage("binary_cross_entropy_with_logits" + input, () -> new BCEWithLogitsLoss().apply(x, clean));
        assertMessage("binary_cross_entropy_with_logits" + target, () -> new BCEWithLogitsLoss().apply(clean, x));
        assertMessage("binary_cross_entropy" + input, () -> new BCELoss().apply(x, clean));
        assertMessage("binary_cross_entropy" + target, () -> new BCELoss().apply(clean, x));
        assertMessage("mse_loss" + input, () -> new MSELoss().apply(x, clean));
        assertMessage("mse_loss" + target, () -> new MSELoss().apply(clean, x));
        Tensor nd = Tensor.zeros(2, 3, 4);
        nd.set(Float.NaN, 1, 2, 3);
        assertMessage("cross_entropy: input has NaN at [1, 2, 3] (shape [2, 3, 4]). " + advice,
                () -> new CrossEntropyLoss().apply(nd, new int[8]));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    /** Same loss values and same input gradients, bit for bit. */
    private void assertSame(Function<Tensor, Tensor> expected, Function<Tensor, Tensor> actual) {
        assertSame(expected, actual, 0f);
    }

    private void assertSame(Function<Tensor, Tensor> expected, Function<Tensor, Tensor> actual, float tol) {
        BiFunction<Function<Tensor, Tensor>, Tensor, Tensor[]> run = (f, z) -> {
            Tensor x = z.copy().requiresGrad(true);
            Tensor out = f.apply(x);
            out.backward(Tensor.ones(out.shape().dims()));
            return new Tensor[] {out, x.grad()};
        };
        Tensor[] e = run.apply(expected, logits);
        Tensor[] a = run.apply(actual, logits);
        assertEquals(e[0].shape(), a[0].shape());
        if (tol == 0f) {
            assertArrayEquals(e[0].data(), a[0].data(), "loss");
            assertArrayEquals(e[1].data(), a[1].data(), "gradient");
        } else {
            assertArrayEquals(e[0].data(), a[0].data(), tol, "loss");
            assertArrayEquals(e[1].data(), a[1].data(), tol, "gradient");
        }
    }

    private static void assertMessage(String expected, Executable call) {
        assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
