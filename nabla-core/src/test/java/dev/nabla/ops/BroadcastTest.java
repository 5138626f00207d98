package dev.nabla.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BroadcastTest {
    @Test
    void aRowIsAddedToEveryRowAndKeepsTheLargerShape() {
        assertEquals(Shape.of(3, 4), Functional.add(Tensor.zeros(3, 4), Tensor.zeros(4)).shape());
        assertEquals(Shape.of(3, 4), Functional.add(Tensor.zeros(3, 4), Tensor.zeros(1, 4)).shape());
    }

    @Test
    void shapesBroadcastByPyTorchsRules() {
        assertEquals(Shape.of(1, 4), Functional.add(Tensor.zeros(4), Tensor.zeros(1, 4)).shape());
        assertEquals(Shape.of(3, 2, 4), Functional.mul(Tensor.zeros(3, 1, 4), Tensor.zeros(2, 1)).shape());
        assertEquals(Shape.of(2, 3), Functional.sub(Tensor.scalar(1), Tensor.zeros(2, 3)).shape());
        assertEquals(Shape.of(2, 3), Functional.div(Tensor.zeros(2, 1), Tensor.ones(1, 3)).shape());
    }

    @Test
    void aBroadcastOperandGetsItsGradientSummedOverTheRepeats() {
        Tensor x = Tensor.of(new float[] {1, 2}, 2, 1).requiresGrad(true);
        Tensor y = Tensor.of(new float[] {10, 20, 30}, 3).requiresGrad(true);
        Functional.sum(Functional.mul(x, y)).backward();
        assertTrue(java.util.Arrays.equals(new float[] {60, 60}, x.grad().data()), "Σ y for each x");
        assertTrue(java.util.Arrays.equals(new float[] {3, 3, 3}, y.grad().data()), "Σ x for each y");
    }

    @Test
    void mismatchedShapesNameBothAndTheDimension() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.mul(Tensor.zeros(3, 4), Tensor.zeros(3)));
        assertEquals("mul: shapes [3, 4] and [3] do not broadcast: dimension -1 (from the end) has sizes 4 and 3, "
                + "which are neither equal nor 1", e.getMessage());
    }
}
