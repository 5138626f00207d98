package dev.nabla.tensor;

import static dev.nabla.ops.Functional.mul;
import static dev.nabla.ops.Functional.sigmoid;
import static dev.nabla.ops.Functional.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class TensorTest {
    private final Rng rng = new Rng(3);

    @Test
    void reshapeIsAViewThatSharesStorage() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor v = x.reshape(3, -1);
        assertEquals(Shape.of(3, 2), v.shape());
        assertTrue(v.data() == x.data(), "reshape copied the values");
        v.set(60f, 2, 1);
        assertEquals(60f, x.get(1, 2));
    }

    @Test
    void flattenKeepsTheFirstDimension() {
        Tensor x = Tensor.zeros(2, 3, 4);
        Tensor f = x.flatten();
        assertEquals(Shape.of(2, 12), f.shape());
        assertTrue(f.data() == x.data());
        assertEquals(Shape.of(1, 1), Tensor.scalar(2f).flatten().shape());
    }

    @Test
    void reshapeAndFlattenPassGradientsBackInTheSourceShape() {
        Tensor x = Tensor.randn(rng, 2, 3, 4).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 2, 12);
        Tensor u = Tensor.randn(rng, 24);
        // two views of x, each used once: dL/dx = w + u, laid out in x's shape
        sum(mul(x.flatten(), w)).backward();
        sum(mul(x.reshape(-1), u)).backward();
        assertEquals(x.shape(), x.grad().shape());
        for (int i = 0; i < 24; i++) {
            assertEquals(w.data()[i] + u.data()[i], x.grad().data()[i], 1e-6f);
        }
        assertEquals("Reshape", x.reshape(4, 6).gradFn().name());
    }

    @Test
    void reshapeRejectsAWrongSizeNamingBothShapes() {
        Tensor x = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.reshape(4, 2));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, 4));
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([0.1000, -2.0000, 3.5000])", Tensor.of(new float[] {0.1f, -2f, 3.5f}).toString());
        assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]])",
                Tensor.of(new float[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tensor(1.5000)", Tensor.scalar(1.5f).toString());
        assertEquals("tensor([1.0000e-05, 2.0000e+06, nan, -inf])",
                Tensor.of(new float[] {1e-5f, 2e6f, Float.NaN, Float.NEGATIVE_INFINITY}).toString());
        assertEquals("tensor([0.0000, 0.0000], requiresGrad=true)", Tensor.zeros(2).requiresGrad(true).toString());
        assertTrue(sigmoid(Tensor.zeros(2).requiresGrad(true)).toString().endsWith(", gradFn=Sigmoid)"));
    }

    @Test
    void printsLargeTensorsSummarisedWithTheirShape() {
        Tensor big = Tensor.zeros(10, 10);
        String s = big.toString();
        assertTrue(s.contains("..."), s);
        assertTrue(s.endsWith(", shape=[10, 10])"), s);
        assertEquals(7, s.split("\n").length, "3 rows, an ellipsis line, 3 rows:\n" + s);
        String row = Tensor.zeros(2000).toString();
        assertTrue(row.startsWith("tensor([0.0000, 0.0000, 0.0000, ..., 0.0000, 0.0000, 0.0000]"), row);
    }

    @Test
    void printsTheSameInEveryLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("tensor([0.5000, 1.0000e-05])", Tensor.of(new float[] {0.5f, 1e-5f}).toString());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void argmaxOverTheLastAndFirstAxes() {
        Tensor x = Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {3f, -1f, 3f}});
        assertArrayEquals(new int[] {1, 0}, x.argmax(-1), "ties go to the first index");
        assertArrayEquals(new int[] {1, 0, 1}, x.argmax(0));
        Tensor cube = Tensor.zeros(2, 3, 4);
        cube.set(5f, 1, 2, 1);
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 2, 0, 0}, cube.argmax(1));
        assertArrayEquals(new int[] {2}, Tensor.of(new float[] {1f, 2f, Float.NaN, 9f}).argmax(0),
                "NaN is the maximum, as in PyTorch");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.argmax(2));
        assertTrue(e.getMessage().contains("axis 2"), e.getMessage());
    }

    @Test
    void itemNeedsOneValue() {
        assertEquals(2f, Tensor.scalar(2f).item());
        assertEquals(3f, Tensor.full(3f, 1, 1).item());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Tensor.zeros(2, 2).item());
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void indexingChecksRankAndBounds() {
        Tensor x = Tensor.zeros(2, 3);
        assertThrows(IllegalArgumentException.class, () -> x.get(1));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.get(1, 3));
        assertTrue(e.getMessage().contains("[1, 3]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }
}
