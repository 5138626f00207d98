package dev.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {
    @Test
    void aTargetOutsideTheClassRangeNamesRowLabelAndRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(3, 10), new int[] {1, 10, 2}));
        assertEquals("cross_entropy target 10 at row 1 is outside the class range [0, 9] of logits [3, 10]: "
                + "labels must be class indices 0..9 (or the ignore index -100)", e.getMessage());
    }

    @Test
    void oneTargetPerRowIsRequired() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.crossEntropy(Tensor.zeros(3, 10), new int[] {1, 2}));
        assertEquals("cross_entropy got logits [3, 10] but 2 targets: give one class index per row, 3 in all",
                e.getMessage());
    }

    @Test
    void gradientIsSoftmaxMinusOneHotOverN() {
        Tensor z = Tensor.of(new float[][] {{0, 0}, {0, 0}}).requiresGrad(true);
        Functional.crossEntropy(z, new int[] {0, 1}).backward();
        // softmax = [0.5, 0.5] per row; (p − onehot) / 2
        assertEquals("tensor([[-0.2500, 0.2500],\n        [0.2500, -0.2500]])", z.grad().toString());
    }
}
