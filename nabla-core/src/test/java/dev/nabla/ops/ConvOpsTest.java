package dev.nabla.ops;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.OpCheck;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Convolution and pooling against PyTorch (every case of {@code fixtures/conv_ops.json}, written by
 * {@code tools/fixtures/conv.py}) and finite differences, through {@link OpCheck}; and their edges.
 */
class ConvOpsTest {
    private static Window2d window(OpCheck.Case c) {
        int[] k = c.ints("kernel");
        int[] s = c.ints("stride");
        int[] p = c.ints("padding");
        int[] d = c.ints("dilation");
        return new Window2d(k[0], k[1], s[0], s[1], p[0], p[1], p[2], p[3], d[0], d[1]);
    }

    private static final Map<String, OpCheck.Op> OPS = Map.ofEntries(
            entry("conv2d", (x, c) -> Functional.conv2d(x[0], x[1], x.length > 2 ? x[2] : null, window(c),
                    c.integer("groups"))),
            entry("max_pool2d", (x, c) -> Functional.maxPool2d(x[0], window(c), c.bool("ceil_mode"))),
            entry("avg_pool2d", (x, c) -> Functional.avgPool2d(x[0], window(c), c.bool("ceil_mode"),
                    c.bool("count_include_pad"))),
            entry("adaptive_avg_pool2d", (x, c) -> Functional.adaptiveAvgPool2d(x[0], c.ints("size")[0],
                    c.ints("size")[1])));

    static Stream<String> cases() {
        return OpCheck.names("conv_ops.json").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAndFiniteDifferences(String name) {
        String op = OpCheck.load(name).op();
        OpCheck.Op call = OPS.get(op);
        assertNotNull(call, name + " exercises an op ConvOpsTest does not map to a call");
        // a convolution is linear in its input and in its weight, average pooling in its input: central differences
        // have no truncation error, and a step of 1e-2 keeps float32's rounding in sums of hundreds of terms small
        OpCheck.check(name, op.equals("max_pool2d") ? OpCheck.GRAD_CHECK : OpCheck.GRAD_CHECK.withEps(1e-2), call);
    }

    @Test
    void aBatchLargerThanOneChunkGivesTheSameValuesAndGradientsAsOneSampleAtATime() {
        // 3 × 3 taps × 32 × 32 positions: about 227 samples per chunk of columns; 300 samples take two chunks
        Rng rng = new Rng(2);
        Tensor x = Tensor.randn(rng, 300, 3, 32, 32).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 4, 3, 3, 3).requiresGrad(true);
        Tensor b = Tensor.randn(rng, 4).requiresGrad(true);
        Window2d same = Window2d.of(3, 1, 1, 1);
        Tensor y = Functional.conv2d(x, w, b, same, 1);
        Functional.sum(y).backward();
        float[] dw = w.grad().data().clone();
        Tensor last = Tensor.of(java.util.Arrays.copyOfRange(x.data(), 299 * 3072, 300 * 3072), 1, 3, 32, 32);
        Tensor alone = Functional.conv2d(last, w.detach(), b.detach(), same, 1);
        float[] tail = java.util.Arrays.copyOfRange(y.data(), 299 * 4096, 300 * 4096);
        assertArrayEquals(alone.data(), tail, "the last sample, in the second chunk, as if alone");
        float[] expected = new float[dw.length];   // Σ over samples of each tap's input, as the sum's gradient
        for (int o = 0; o < 4; o++) {
            for (int c = 0; c < 3; c++) {
                for (int u = 0; u < 3; u++) {
                    for (int v = 0; v < 3; v++) {
                        double sum = 0;
                        for (int n = 0; n < 300; n++) {
                            for (int i = 0; i < 32; i++) {
                                for (int j = 0; j < 32; j++) {
                                    int yy = i - 1 + u;
                                    int xx = j - 1 + v;
                                    if (yy >= 0 && yy < 32 && xx >= 0 && xx < 32) {
                                        sum += x.data()[((n * 3 + c) * 32 + yy) * 32 + xx];
                                    }
                                }
                            }
                        }
                        expected[((o * 3 + c) * 3 + u) * 3 + v] = (float) sum;
                    }
                }
            }
        }
        for (int i = 0; i < dw.length; i++) {
            assertEquals(expected[i], dw[i], 1e-3 * Math.max(1, Math.abs(expected[i])), "dW entry " + i);
        }
        assertEquals(300 * 1024, b.grad().data()[0], 1e-2);
    }

    @Test
    void badShapesAndWindowsAreRefusedSayingWhatFits() {
        Tensor x = Tensor.ones(1, 3, 4, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(x, Tensor.ones(2, 3, 5, 5),
                null, 1, 0)).getMessage().contains("is smaller than the 5×5 reach of the kernel"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(Tensor.ones(3, 4, 4),
                Tensor.ones(2, 3, 3, 3), null, 1, 0)).getMessage().contains("x.reshape(1, C, H, W)"));
        assertEquals("conv2d: weight [2, 2, 3, 3] does not fit an input of 3 channels in 1 group(s) with a 3×3 "
                + "kernel: expected [2, 3, 3, 3]", assertThrows(IllegalArgumentException.class,
                () -> Functional.conv2d(x, Tensor.ones(2, 2, 3, 3), null, 1, 0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Functional.conv2d(x, Tensor.ones(4, 1, 3, 3),
                null, Window2d.of(3, 1, 0, 1), 2)).getMessage().contains("2 groups must divide the 3 input"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Functional.maxPool2d(x, Window2d.of(2, 2, 2, 1),
                false)).getMessage().contains("at most half"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Functional.maxPool2d(x, Window2d.of(5, 1, 0, 1),
                false)).getMessage().contains("smaller than the 5×5 window"));
        assertThrows(IllegalArgumentException.class, () -> Functional.avgPool2d(x, Window2d.of(2, 2, 0, 2), false,
                true));
        assertThrows(IllegalArgumentException.class, () -> Window2d.of(0, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Functional.adaptiveAvgPool2d(Tensor.ones(4, 4), 2, 2));
    }

    @Test
    void twoByTwoMaxPoolingSendsEachGradientToTheFirstLargestTapOrTheLastNaN() {
        float nan = Float.NaN;
        // windows, row-major taps (a b / c d): ties; NaN in a and c; NaN in b; a −0 before a +0
        Tensor x = Tensor.of(new float[] {
            1, 1, nan, 1, 3, nan, -0f, 0f,
            1, 1, nan, 2, 1, 1, 0f, 0f}, 1, 1, 2, 8).requiresGrad(true);
        Tensor y = Functional.maxPool2d(x, Window2d.of(2, 2, 0, 1), false);
        assertEquals(1f, y.data()[0]);
        assertTrue(Float.isNaN(y.data()[1]) && Float.isNaN(y.data()[2]));
        assertEquals(0f, y.data()[3]);
        y.backward(Tensor.of(new float[] {10, 20, 30, 40}, 1, 1, 1, 4));
        assertArrayEquals(new float[] {
            10, 0, 0, 0, 0, 30, 40, 0,
            0, 0, 20, 0, 0, 0, 0, 0}, x.grad().data());
    }

    @Test
    void twoByTwoMaxPoolingOfAnOddImageLeavesTheLastRowAndColumnWithoutGradient() {
        Tensor x = Tensor.randn(new Rng(5), 2, 3, 5, 5).requiresGrad(true);
        Tensor y = Functional.maxPool2d(x, Window2d.of(2, 2, 0, 1), false);
        Functional.sum(y).backward();
        for (int plane = 0; plane < 6; plane++) {
            float total = 0;
            for (int i = 0; i < 25; i++) {
                float g = x.grad().data()[plane * 25 + i];
                assertTrue(g == 0f || g == 1f);
                assertTrue(g == 0f || i / 5 < 4 && i % 5 < 4, "row 4 and column 4 are in no window");
                total += g;
            }
            assertEquals(4f, total, "one winner in each of the four windows");
        }
    }

    @Test
    void channelDropoutZeroesWholeFeatureMapsAndScalesTheRest() {
        Tensor x = Tensor.ones(8, 16, 3, 3);
        Tensor y = Functional.dropout2d(x, 0.5f, true, new Rng(1));
        int dropped = 0;
        for (int map = 0; map < 8 * 16; map++) {
            float first = y.data()[map * 9];
            for (int i = 1; i < 9; i++) {
                assertEquals(first, y.data()[map * 9 + i], "one value per feature map");
            }
            assertTrue(first == 0f || first == 2f, "kept maps are scaled by 1/(1 − p)");
            dropped += first == 0f ? 1 : 0;
        }
        assertTrue(dropped > 40 && dropped < 88, dropped + " of 128 maps dropped at p = 0.5");
        assertEquals(x, Functional.dropout2d(x, 0.5f, false, new Rng(1)), "the identity in evaluation");
    }
}
