package dev.nabla.diagnostics;

import static dev.nabla.ops.Functional.linear;
import static dev.nabla.ops.Functional.mul;
import static dev.nabla.ops.Functional.sum;
import static dev.nabla.ops.Functional.tanh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Function;
import dev.nabla.autograd.NoGrad;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradCheckTest {
    private final Rng rng = new Rng(11);

    /** {@code y = x²} with a backward that forgets the factor 2. */
    static final class SquareMissingFactor extends Function {
        private Tensor x;

        @Override
        protected Tensor forward(Tensor... in) {
            x = in[0];
            Tensor y = Tensor.zeros(x.shape());
            for (int i = 0; i < y.size(); i++) {
                y.data()[i] = x.data()[i] * x.data()[i];
            }
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor dx = Tensor.zeros(x.shape());
            for (int i = 0; i < dx.size(); i++) {
                dx.data()[i] = g.data()[i] * x.data()[i];   // wrong: d(x²)/dx = 2x
            }
            return new Tensor[] {dx};
        }
    }

    /** {@code y = 3x} with a backward that ignores the upstream gradient: right only when g is all ones. */
    static final class TripleIgnoringUpstream extends Function {
        private Shape shape;

        @Override
        protected Tensor forward(Tensor... in) {
            shape = in[0].shape();
            Tensor y = Tensor.zeros(shape);
            for (int i = 0; i < y.size(); i++) {
                y.data()[i] = 3f * in[0].data()[i];
            }
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {Tensor.full(3f, shape.dims())};   // wrong: dx = 3g
        }
    }

    @Test
    void passesForCorrectOpsAndChecksEveryEntry() {
        Tensor x = Tensor.randn(rng, 4, 6);
        Tensor w = Tensor.randn(rng, 3, 6);
        Tensor b = Tensor.randn(rng, 3);
        GradCheck.Result r = GradCheck.check(in -> tanh(linear(in[0], in[1], in[2])), x, w, b);
        assertTrue(r.passed(), r::toString);
        assertEquals(24 + 18 + 3, r.checked());
        assertEquals(0, r.failed());
        assertTrue(r.worstError() <= GradCheck.DEFAULT_REL_TOL, r::toString);
        assertTrue(r.toString().startsWith("GradCheck passed: 45 entries"), r::toString);
        assertSame(r, r.requirePassed());
    }

    @Test
    void failsOnABackwardMissingAFactor() {
        Tensor x = Tensor.randn(rng, 3, 4);
        GradCheck.Result r = GradCheck.check(in -> Function.apply(new SquareMissingFactor(), in[0]), x);
        assertFalse(r.passed(), r::toString);
        assertTrue(r.failed() > 0);
        GradCheck.Entry worst = r.worst();
        assertEquals(0, worst.input());
        // the analytic gradient is half the true one wherever x is not tiny
        assertEquals(0.5, worst.analytic() / worst.numeric(), 1e-2, worst::toString);
        String text = r.toString();
        assertTrue(text.startsWith("GradCheck FAILED: "), text);
        assertTrue(text.contains("input 0" + java.util.Arrays.toString(worst.position())), text);
        assertTrue(text.contains("analytic") && text.contains("numeric"), text);
        IllegalStateException e = assertThrows(IllegalStateException.class, r::requirePassed);
        assertEquals(text, e.getMessage());
    }

    @Test
    void randomUpstreamGradientCatchesABackwardThatIgnoresIt() {
        // With an upstream gradient of ones, as sum(...).backward() gives, the bug cannot show...
        Tensor x = Tensor.randn(rng, 2, 5).requiresGrad(true);
        sum(Function.apply(new TripleIgnoringUpstream(), x)).backward();
        assertArrayEquals(Tensor.full(3f, 2, 5).data(), x.grad().data());
        // ...a random upstream gradient exposes it, for a non-scalar output and through a scalar one alike.
        GradCheck.Result direct = GradCheck.check(in -> Function.apply(new TripleIgnoringUpstream(), in[0]), x);
        assertFalse(direct.passed(), direct::toString);
        assertEquals(10, direct.failed(), direct::toString);
        GradCheck.Result throughSum =
                GradCheck.check(in -> sum(Function.apply(new TripleIgnoringUpstream(), in[0])), x);
        assertFalse(throughSum.passed(), throughSum::toString);
    }

    @Test
    void leavesInputsAndTheirGradientsAsTheyWere() {
        Tensor x = Tensor.randn(rng, 3, 4).requiresGrad(true);
        Tensor y = Tensor.randn(rng, 3, 4).requiresGrad(true);
        y.setGrad(Tensor.full(7f, 3, 4));
        Tensor yGrad = y.grad();
        float[] xBefore = x.toArray();
        float[] yBefore = y.toArray();
        assertTrue(GradCheck.check(in -> mul(in[0], in[1]), x, y).passed());
        assertArrayEquals(xBefore, x.data());
        assertArrayEquals(yBefore, y.data());
        assertNull(x.grad());
        assertSame(yGrad, y.grad());
        assertArrayEquals(Tensor.full(7f, 3, 4).data(), y.grad().data());
    }

    @Test
    void restoresGradientsOfTensorsTheFunctionCaptures() {
        Tensor w = Tensor.randn(rng, 3, 4).requiresGrad(true);   // a "parameter" used by f but not checked
        Tensor v = Tensor.randn(rng, 3, 4).requiresGrad(true);
        v.setGrad(Tensor.full(2f, 3, 4));
        Tensor x = Tensor.randn(rng, 3, 4);
        GradCheck.Result r = GradCheck.check(in -> mul(mul(in[0], w), v), x);
        assertTrue(r.passed(), r::toString);
        assertNull(w.grad(), "GradCheck left a gradient on a tensor f captured");
        assertArrayEquals(Tensor.full(2f, 3, 4).data(), v.grad().data());
    }

    @Test
    void checksOnlyTheSelectedInputs() {
        Tensor x = Tensor.randn(rng, 2, 3);
        Tensor y = Tensor.randn(rng, 2, 3);
        var broken = (java.util.function.Function<Tensor[], Tensor>)
                in -> mul(in[0], Function.apply(new SquareMissingFactor(), in[1]));
        assertFalse(GradCheck.check(broken, x, y).passed());
        GradCheck.Result onlyX = GradCheck.check(GradCheck.Options.DEFAULTS.withInputs(0), broken, x, y);
        assertTrue(onlyX.passed(), onlyX::toString);
        assertEquals(6, onlyX.checked());
        assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(GradCheck.Options.DEFAULTS.withInputs(2), broken, x, y));
    }

    @Test
    void acceptsNonLeafInputsAndNullInputs() {
        Tensor x = Tensor.randn(rng, 2, 3).requiresGrad(true);
        Tensor computed = tanh(x);   // not a leaf: GradCheck works on a copy
        Tensor w = Tensor.randn(rng, 4, 3);
        GradCheck.Result r = GradCheck.check(in -> linear(in[0], in[1], in[2]), computed, w, null);
        assertTrue(r.passed(), r::toString);
        assertEquals(6 + 12, r.checked());
        assertNull(x.grad());
    }

    @Test
    void anOutputThatIsAnInputPasses() {
        Tensor x = Tensor.randn(rng, 2, 3);
        GradCheck.Result identity = GradCheck.check(in -> in[0], x);
        assertTrue(identity.passed(), identity::toString);
        GradCheck.Result view = GradCheck.check(in -> in[0].reshape(3, 2), x);
        assertTrue(view.passed(), view::toString);
        assertEquals(6, view.checked());
    }

    @Test
    void anOutputThatIgnoresTheInputsHasZeroGradient() {
        Tensor x = Tensor.randn(rng, 3);
        Tensor c = Tensor.randn(rng, 3);
        GradCheck.Result r = GradCheck.check(in -> mul(c, c), x);
        assertTrue(r.passed(), r::toString);
        assertEquals(0.0, r.worstError());
    }

    @Test
    void refusesToRunInsideNoGrad() {
        Tensor x = Tensor.randn(rng, 2);
        try (var _ = NoGrad.enter()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradCheck.check(in -> tanh(in[0]), x));
            assertTrue(e.getMessage().contains("NoGrad"), e.getMessage());
        }
    }

    @Test
    void reportsANonDeterministicFunction() {
        Tensor x = Tensor.randn(rng, 4);
        Rng shared = new Rng(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradCheck.check(in -> mul(in[0], Tensor.randn(shared, 4)), x));
        assertTrue(e.getMessage().contains("not deterministic"), e.getMessage());
    }

    @Test
    void errorIsRelativeForLargeGradientsAndAbsoluteForSmallOnes() {
        double floor = GradCheck.DEFAULT_ABS_TOL / GradCheck.DEFAULT_REL_TOL;
        assertEquals(0.01, GradCheck.error(100, 99, floor), 1e-12);
        assertEquals(0.01, GradCheck.error(-100, -99, floor), 1e-12);
        assertEquals(1e-4 / floor, GradCheck.error(0, 1e-4, floor), 1e-12);
        assertEquals(0.0, GradCheck.error(0, 0, floor));
        assertEquals(Double.POSITIVE_INFINITY, GradCheck.error(Double.NaN, 1, floor));
        assertEquals(Double.POSITIVE_INFINITY, GradCheck.error(1, Double.POSITIVE_INFINITY, floor));
        assertEquals(2.0, GradCheck.error(1, -1, floor));
    }

    @Test
    void entryPositionIsRowMajor() {
        var e = new GradCheck.Entry(1, 7, Shape.of(2, 3, 2), 0, 0, 0);
        assertArrayEquals(new int[] {1, 0, 1}, e.position());
        assertTrue(e.toString().startsWith("input 1[1, 0, 1] (flat index 7 of shape [2, 3, 2])"), e.toString());
    }

    @Test
    void optionsAreValidated() {
        var d = GradCheck.Options.DEFAULTS;
        assertEquals(GradCheck.DEFAULT_EPS, d.eps());
        assertThrows(IllegalArgumentException.class, () -> d.withEps(0));
        assertThrows(IllegalArgumentException.class, () -> d.withEps(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.withTolerances(-1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> d.withTolerances(0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> d.withInputs(-1));
        assertEquals(java.util.List.of(1, 2), d.withInputs(1, 2).inputs());
        assertEquals(5L, d.withSeed(5).seed());
    }
}
