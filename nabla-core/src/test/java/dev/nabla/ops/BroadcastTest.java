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
    void aSecondOperandOfHigherRankThanTheFirstIsRejected() {
        // PyTorch would give [1, 4] here; Nabla's binary ops keep the first operand's shape, so they refuse
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.add(Tensor.zeros(4), Tensor.zeros(1, 4)));
        assertTrue(e.getMessage().contains("[4] and [1, 4]"), e.getMessage());
    }

    @Test
    void mismatchedShapesNameBothAndTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.mul(Tensor.zeros(3, 4), Tensor.zeros(3)));
        assertEquals("mul: shapes [3, 4] and [3] do not match. The second operand must have the first's shape, "
                + "or be one row of [4] applied to every row.", e.getMessage());
    }
}
