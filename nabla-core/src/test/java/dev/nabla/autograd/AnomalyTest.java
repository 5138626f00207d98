package dev.nabla.autograd;

import static dev.nabla.ops.Functional.exp;
import static dev.nabla.ops.Functional.log;
import static dev.nabla.ops.Functional.mul;
import static dev.nabla.ops.Functional.sqrt;
import static dev.nabla.ops.Functional.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnomalyTest {
    @AfterEach
    void off() {
        Anomaly.disable();
    }

    @Test
    void offByDefaultANonFiniteValuePassesSilentlyAsInPyTorch() {
        assertFalse(Anomaly.isEnabled());

        Tensor y = log(Tensor.of(new float[] {-1f, 1f}, 2));

        assertTrue(Float.isNaN(y.data()[0]));
    }

    @Test
    void anOpThatIsUndefinedOnFiniteInputsIsNamedWithItsInputsStatistics() {
        Anomaly.enable();
        Tensor x = Tensor.of(new float[] {2f, -1f, 0.5f, 4f}, 2, 2);

        var e = assertThrows(AnomalyException.class, () -> log(x));

        assertEquals("Log", e.op());
        assertTrue(e.callSite().startsWith("AnomalyTest."), e.callSite());
        String first = e.getMessage().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("Log's forward pass, called from AnomalyTest."), first);
        assertTrue(first.contains("gave 1 NaN and 0 ±∞ of 4 values in its output [2, 2]."), first);
        assertTrue(first.contains("Its inputs are all finite, so the op itself overflowed or was undefined there"),
                first);
        assertTrue(e.getMessage().contains("\n  input 0 [2, 2]: min -1.000, max 4.000, mean 1.375; 0 NaN and 0 ±∞ of 4 "
                + "values"), e.getMessage());
    }

    @Test
    void anOverflowIsCaughtAtTheOpWhereItBeganNotWhereTheLossTurnedNaN() {
        Anomaly.enable();
        Tensor x = Tensor.of(new float[] {1f, 100f}, 2).requiresGrad(true);

        var e = assertThrows(AnomalyException.class, () -> log(mul(exp(x), Tensor.scalar(0f))));

        assertEquals("Exp", e.op(), e.getMessage());
        assertTrue(e.getMessage().contains("max 100.0"), e.getMessage());
    }

    @Test
    void aNonFiniteLeafIsNamedAsTheCauseWithWhatMakesAParameterNonFinite() {
        Anomaly.enable();
        var layer = new Linear(3, 2, new Rng(1));
        layer.weight().data()[4] = Float.POSITIVE_INFINITY;
        var model = new Sequential(layer, new ReLU());

        var e = assertThrows(AnomalyException.class, () -> model.forward(Tensor.ones(5, 3)));

        assertTrue(e.callSite().startsWith("Linear.forward(Linear.java:"), e.callSite());
        assertTrue(e.getMessage().contains("The cause is its input 1, which held 0 NaN and 1 ±∞ of 6 values already: "
                + "it is a leaf, a parameter or the data. A parameter turns non-finite when an optimizer step made "
                + "it so"), e.getMessage());
        assertTrue(e.getMessage().contains("\n  input 1 [2, 3]: min "), e.getMessage());
    }

    @Test
    void aDerivativeThatIsInfiniteWhereTheValueIsFiniteIsCaughtInTheBackwardPass() {
        Anomaly.enable();
        Tensor x = Tensor.of(new float[] {0f, 4f}, 2).requiresGrad(true);
        Tensor loss = sum(sqrt(x));   // √0 = 0, but d√x/dx = 1/(2√x) is ∞ at 0

        var e = assertThrows(AnomalyException.class, loss::backward);

        assertEquals("Sqrt", e.op());
        String first = e.getMessage().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("Sqrt's backward pass (its forward was called from AnomalyTest."), first);
        assertTrue(first.contains("gave 0 NaN and 1 ±∞ of 2 values in the gradient of its input 0 [2]."), first);
        assertTrue(first.contains("so the derivative itself overflowed or was undefined there"), first);
        assertTrue(e.getMessage().contains("\n  gradient of the output [2]: min 1.000, max 1.000"), e.getMessage());
    }

    @Test
    void aGradientWrittenStraightIntoAParameterIsCheckedToo() {
        var layer = new Linear(2, 1, new Rng(3));
        Tensor x = Tensor.of(new float[] {Float.MAX_VALUE, Float.MAX_VALUE}, 1, 2);
        Tensor out = layer.forward(x);   // before anomaly mode: the output may overflow unseen
        Anomaly.enable();

        var e = assertThrows(AnomalyException.class, () -> out.backward(Tensor.full(Float.MAX_VALUE, 1, 1)));

        assertTrue(e.getMessage().contains("in the gradient of its input"), e.getMessage());
    }

    @Test
    void aScopeRestoresTheSettingItFound() {
        try (var scope = Anomaly.detect()) {
            assertTrue(Anomaly.isEnabled());
        }
        assertFalse(Anomaly.isEnabled());
        Anomaly.enable();
        try (var scope = Anomaly.detect()) {
            assertTrue(Anomaly.isEnabled());
        }
        assertTrue(Anomaly.isEnabled());
    }

    @Test
    void finiteTrainingRunsUnchangedWithAnomalyModeOn() {
        var model = new Sequential(new Linear(4, 8, new Rng(2)), new ReLU(), new Linear(8, 1, new Rng(3)));
        Tensor x = Tensor.randn(new Rng(4), 16, 4);
        Tensor plain = model.forward(x);
        sum(plain).backward();
        float[] gradPlain = model.parameters().get(0).grad().toArray();
        model.parameters().forEach(Tensor::zeroGrad);

        Anomaly.enable();
        Tensor checked = model.forward(x);
        sum(checked).backward();

        assertEquals(java.util.Arrays.toString(plain.data()), java.util.Arrays.toString(checked.data()));
        assertEquals(java.util.Arrays.toString(gradPlain),
                java.util.Arrays.toString(model.parameters().get(0).grad().toArray()));
    }
}
