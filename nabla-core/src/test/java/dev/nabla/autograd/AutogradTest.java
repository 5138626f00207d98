package dev.nabla.autograd;

import static dev.nabla.ops.Functional.add;
import static dev.nabla.ops.Functional.mul;
import static dev.nabla.ops.Functional.sigmoid;
import static dev.nabla.ops.Functional.sum;
import static dev.nabla.ops.Functional.tanh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.GradCheck;
import dev.nabla.tensor.GradMode;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The tape: accumulation, scopes, detaching, and the errors a user meets. */
class AutogradTest {
    private final Rng rng = new Rng(5);

    private static float[] times(float[] a, float s) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * s;
        }
        return out;
    }

    @Test
    void gradientsOfTwoUsesInOneGraphAreSummed() {
        Tensor x = Tensor.of(new float[] {1f, -2f, 3f}).requiresGrad(true);
        // L = Σ (x·x + x): dL/dx = 2x + 1, from three uses of x
        sum(add(mul(x, x), x)).backward();
        assertArrayEquals(new float[] {3f, -3f, 7f}, x.grad().data());
    }

    @Test
    void theSameTensorAsBothOperandsGetsBothGradients() {
        Tensor x = Tensor.of(new float[] {1f, 2f}).requiresGrad(true);
        Tensor seed = Tensor.of(new float[] {0.5f, -1f});
        add(x, x).backward(seed);
        assertArrayEquals(new float[] {1f, -2f}, x.grad().data());
        assertArrayEquals(new float[] {0.5f, -1f}, seed.data(), "backward wrote into the caller's gradient");
    }

    @Test
    void gradientsOfASharedIntermediateAreSummedBeforeItPassesThemOn() {
        // h is read by three ops; its gradient must be complete before tanh's backward runs
        Tensor x = Tensor.randn(rng, 3, 4);
        Tensor w = Tensor.randn(rng, 3, 4);
        GradCheck.Result r = GradCheck.check(in -> {
            Tensor h = tanh(in[0]);
            return add(mul(h, h), mul(sigmoid(h).reshape(4, 3).reshape(3, 4), in[1]));
        }, x, w);
        assertTrue(r.passed(), r::toString);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCallsUntilZeroGrad() {
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 2, 3);
        sum(mul(x, w)).backward();
        assertArrayEquals(w.data(), x.grad().data());
        Tensor gradBuffer = x.grad();
        sum(mul(x, w)).backward();
        assertArrayEquals(times(w.data(), 2f), x.grad().data());
        x.zeroGrad();
        assertArrayEquals(new float[6], x.grad().data());
        assertTrue(gradBuffer == x.grad(), "zeroGrad keeps the buffer");
        sum(mul(x, w)).backward();
        assertArrayEquals(w.data(), x.grad().data());
    }

    @Test
    void noGradScopeRecordsNothingAndNests() {
        Tensor x = Tensor.randn(rng, 2, 2).requiresGrad(true);
        try (var _ = NoGrad.enter()) {
            assertFalse(NoGrad.isGradEnabled());
            try (var _ = NoGrad.enter()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(NoGrad.isGradEnabled(), "closing the inner scope re-enabled recording");
            Tensor y = sum(tanh(x));
            assertFalse(y.requiresGrad());
            assertNull(y.gradFn());
            Tensor view = x.reshape(4);
            assertFalse(view.requiresGrad());
            assertNull(view.gradFn());
        }
        try (var _ = NoGrad.enter()) {
            NoGrad scope = NoGrad.enter();
            scope.close();
            scope.close();   // closing twice must not close the enclosing scope too
            assertFalse(NoGrad.isGradEnabled());
        }
        assertTrue(NoGrad.isGradEnabled());
        Tensor y = sum(tanh(x));
        assertTrue(y.requiresGrad());
        assertEquals("Sum", y.gradFn().name());
    }

    @Test
    void detachCutsTheGraphAndSharesStorage() {
        Tensor x = Tensor.randn(rng, 3).requiresGrad(true);
        Tensor d = x.detach();
        assertFalse(d.requiresGrad());
        assertTrue(d.isLeaf());
        d.data()[0] = 42f;
        assertEquals(42f, x.data()[0], "detach shares storage, as PyTorch's");
        // L = Σ x · stop(x): only the first factor carries gradient, so dL/dx = x, not 2x
        sum(mul(x, x.detach())).backward();
        assertArrayEquals(x.data(), x.grad().data());
        Tensor computed = tanh(x);
        Tensor cut = computed.detach();
        assertTrue(cut.isLeaf());
        assertNull(cut.gradFn());
    }

    @Test
    void backwardOnANonScalarExplainsWhatToDo() {
        Tensor y = tanh(Tensor.randn(rng, 2, 3).requiresGrad(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("scalar"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
        assertTrue(e.getMessage().contains("sum or mean"), e.getMessage());
    }

    @Test
    void backwardWithAGradientOfTheWrongShapeNamesBothShapes() {
        Tensor y = tanh(Tensor.randn(rng, 2, 3).requiresGrad(true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> y.backward(Tensor.ones(3, 2)));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void backwardOnATensorThatDoesNotRequireGradSaysHowToMarkInputs() {
        Tensor y = sum(tanh(Tensor.randn(rng, 2, 3)));
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
        assertTrue(e.getMessage().contains("requiresGrad(true)"), e.getMessage());
        Tensor x = Tensor.randn(rng, 2).requiresGrad(true);
        Tensor z;
        try (var _ = NoGrad.enter()) {
            z = sum(x);
        }
        IllegalStateException inScope = assertThrows(IllegalStateException.class, z::backward);
        assertTrue(inScope.getMessage().contains("NoGrad"), inScope.getMessage());
    }

    @Test
    void aSecondBackwardThroughAFreedGraphFailsClearly() {
        Tensor x = Tensor.randn(rng, 3).requiresGrad(true);
        Tensor loss = sum(tanh(x));
        loss.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
        assertTrue(e.getMessage().contains("backward(true)"), e.getMessage());
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = Tensor.randn(rng, 3).requiresGrad(true);
        Tensor w = Tensor.randn(rng, 3);
        Tensor loss = sum(mul(x, w));
        loss.backward(true);
        loss.backward(true);
        assertArrayEquals(times(w.data(), 2f), x.grad().data());
        loss.backward();
        assertThrows(IllegalStateException.class, loss::backward);
    }

    @Test
    void requiresGradCanOnlyBeSetOnLeaves() {
        Tensor y = tanh(Tensor.randn(rng, 2).requiresGrad(true));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> y.requiresGrad(false));
        assertTrue(e.getMessage().contains("leaf") && e.getMessage().contains("detach()"), e.getMessage());
    }

    @Test
    void aFunctionInstanceIsUsedOnce() {
        Tensor x = Tensor.randn(rng, 2);
        var fn = new Function() {
            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].copy();
            }

            @Override
            protected Tensor[] backward(Tensor g) {
                return new Tensor[] {g};
            }
        };
        Function.apply(fn, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Function.apply(fn, x));
        assertTrue(e.getMessage().contains("new instance"), e.getMessage());
    }

    @Test
    void onlyInputsThatRequireGradGetOne() {
        Tensor x = Tensor.randn(rng, 2, 2).requiresGrad(true);
        Tensor c = Tensor.randn(rng, 2, 2);
        sum(mul(x, c)).backward();
        assertNotNull(x.grad());
        assertNull(c.grad());
    }

    @Test
    void aDeepChainNeedsNoDeepStack() {
        Tensor x = Tensor.scalar(0.5f).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 50_000; i++) {
            y = add(y, x);
        }
        y.backward();
        assertEquals(50_001f, x.grad().item());
    }
}
