package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.Function;
import dev.nabla.ops.Functional;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backward walk reuses the arrays of gradients it is done with, and never one that a pending gradient holds. */
class GradientPoolTest {
    /** y = factor·x, whose backward writes dx = factor·g into a gradient buffer and remembers the array. */
    private static final class Scale extends Function {
        private final float factor;
        private final List<float[]> written;

        Scale(float factor, List<float[]> written) {
            this.factor = factor;
            this.written = written;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            Tensor y = Tensor.zeros(in[0].shape());
            for (int i = 0; i < y.size(); i++) {
                y.data()[i] = factor * in[0].data()[i];
            }
            return y;
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor dx = Tensor.gradientBuffer(g.shape());
            for (int i = 0; i < dx.size(); i++) {
                dx.data()[i] = factor * g.data()[i];
            }
            written.add(dx.data());
            return new Tensor[] {dx};
        }
    }

    /** y = x, whose backward fills a scratch buffer it does not return, then returns a second buffer. */
    private static final class WithScratch extends Function {
        private final List<float[]> scratch;

        WithScratch(List<float[]> scratch) {
            this.scratch = scratch;
        }

        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].copy();
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            Tensor tmp = Tensor.gradientBuffer(g.shape());
            System.arraycopy(g.data(), 0, tmp.data(), 0, g.size());
            scratch.add(tmp.data());
            Tensor dx = Tensor.gradientBuffer(g.shape());
            System.arraycopy(tmp.data(), 0, dx.data(), 0, g.size());
            return new Tensor[] {dx};
        }
    }

    /** An op whose backward forgets to write its gradient buffer. */
    private static final class Forgetful extends Function {
        @Override
        protected Tensor forward(Tensor... in) {
            return in[0].copy();
        }

        @Override
        protected Tensor[] backward(Tensor g) {
            return new Tensor[] {Tensor.gradientBuffer(g.shape())};
        }
    }

    private static Tensor scale(Tensor x, float factor, List<float[]> written) {
        return Function.apply(new Scale(factor, written), x);
    }

    @Test
    void aChainOfOpsReusesTwoArraysInTurn() {
        List<float[]> written = new ArrayList<>();
        Tensor x = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor y = x;
        for (int layer = 0; layer < 4; layer++) {
            y = scale(y, 2f, written);
        }
        Functional.sum(y).backward();

        assertArrayEquals(new float[] {16, 16, 16}, x.grad().toArray());
        assertNotSame(written.get(0), written.get(1));
        assertSame(written.get(0), written.get(2));   // the first gradient was consumed before the third was made
        assertSame(written.get(1), written.get(3));
        assertNotSame(x.grad().data(), written.get(3), "a leaf's gradient is its own buffer, never a pooled one");
    }

    @Test
    void aGradientPassedOnUnchangedIsNotReusedWhileItIsPending() {
        List<float[]> written = new ArrayList<>();
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Tensor a = scale(x, 3f, written);
        Tensor b = scale(x, 5f, written);
        // add passes its output's gradient on to a and to b, the same array: reused after the first consumer, it
        // would hold that consumer's output when the second reads it
        Functional.sum(scale(scale(Functional.add(a, b), 7f, written), 2f, written)).backward();

        // d/dx of 2·7·(3x + 5x) = 112
        assertArrayEquals(new float[] {112, 112}, x.grad().toArray());
    }

    @Test
    void scratchThatABackwardDoesNotReturnIsReusedAfterIt() {
        List<float[]> scratch = new ArrayList<>();
        List<float[]> written = new ArrayList<>();
        Tensor x = Tensor.of(new float[] {1, 2, 3}).requiresGrad(true);
        Tensor y = scale(Function.apply(new WithScratch(scratch), scale(x, 5f, written)), 2f, written);
        Functional.sum(scale(y, 3f, written)).backward();

        assertArrayEquals(new float[] {30, 30, 30}, x.grad().toArray());
        // the walk: ×3 writes A; ×2 writes B, and A is free; the scratch op takes A as scratch and a fresh array for
        // its result, and B is free; once it has returned A is free too, and ×5 gets it back
        assertSame(written.get(0), scratch.get(0));
        assertSame(scratch.get(0), written.get(2));
    }

    @Test
    void aSeedGivenByTheCallerIsNeverReused() {
        List<float[]> written = new ArrayList<>();
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Tensor seed = Tensor.of(new float[] {1, 1});
        scale(scale(scale(x, 2f, written), 2f, written), 2f, written).backward(seed);

        assertArrayEquals(new float[] {1, 1}, seed.toArray());
        for (float[] w : written) {
            assertNotSame(seed.data(), w);
        }
        assertArrayEquals(new float[] {8, 8}, x.grad().toArray());
    }

    @Test
    void testsRunWithPoisonedBuffersSoAnUnwrittenElementShowsAsNaN() {
        assertTrue(GradientPool.POISON, "the tests run with assertions enabled, which fill gradient buffers with NaN");
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        Functional.sum(Function.apply(new Forgetful(), x)).backward();
        assertTrue(Float.isNaN(x.grad().data()[0]));
    }

    @Test
    void outsideABackwardPassAGradientBufferIsAFreshZeroTensor() {
        Tensor t = Tensor.gradientBuffer(Shape.of(2, 3));
        assertArrayEquals(new float[6], t.toArray());
    }
}
