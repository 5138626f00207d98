package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest {
    private final Linear layer = new Linear(784, 256, new Rng(1));

    @Test
    void weightHasPyTorchsLayoutOutByIn() {
        assertEquals(dev.nabla.tensor.Shape.of(256, 784), layer.weight().shape());
        assertEquals(dev.nabla.tensor.Shape.of(256), layer.bias().shape());
    }

    @Test
    void defaultInitIsUniformWithinOneOverSqrtFanIn() {
        double bound = 1 / Math.sqrt(784);
        double max = 0;
        for (float w : layer.weight().data()) {
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + ", bound " + bound);
        for (float b : layer.bias().data()) {
            assertTrue(Math.abs(b) <= bound);
        }
    }

    @Test
    void computesXTimesWeightTransposedPlusBias() {
        Linear small = new Linear(2, 3, new Rng(1));
        System.arraycopy(new float[] {1, 2, 3, 4, 5, 6}, 0, small.weight().data(), 0, 6);
        System.arraycopy(new float[] {0.5f, -1, 0}, 0, small.bias().data(), 0, 3);
        Tensor y = small.forward(Tensor.of(new float[][] {{1, -1}, {2, 0.5f}}));
        // row 0: [1·1 + 2·(−1), 3·1 + 4·(−1), 5·1 + 6·(−1)] + b = [−0.5, −2, −1]
        // row 1: [2 + 1, 6 + 2, 10 + 3] + b = [3.5, 7, 13]
        assertEquals("tensor([[-0.5000, -2.0000, -1.0000],\n        [3.5000, 7.0000, 13.0000]], gradFn=Affine)",
                y.toString());
    }

    @Test
    void imageInputSaysToFlattenFirst() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(128, 28, 28)));
        assertEquals("Linear(784→256) got input [128, 28, 28]: flatten it first (x.flatten() or a Flatten layer)",
                e.getMessage());
    }

    @Test
    void wrongFeatureCountNamesTheExpectedShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(128, 100)));
        assertTrue(e.getMessage().contains("[128, 100]") && e.getMessage().contains("expected [N, 784]"), e.getMessage());
    }

    @Test
    void singleSampleSaysToAddABatchDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> layer.forward(Tensor.zeros(784)));
        assertTrue(e.getMessage().contains("reshape(1, -1)"), e.getMessage());
    }

    @Test
    void flattenThenLinearAcceptsImages() {
        Sequential model = new Sequential(new Flatten(), layer);
        assertEquals(dev.nabla.tensor.Shape.of(2, 256), model.forward(Tensor.zeros(2, 28, 28)).shape());
    }
}
