package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nabla.ops.Functional;
import org.junit.jupiter.api.Test;

/** A parameter's gradient buffer is allocated once, cleared lazily by zeroGrad, and written in place by backward. */
class GradBufferTest {
    private final Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}});
    private final Tensor w = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 1}}).requiresGrad(true);
    private final Tensor b = Tensor.zeros(3).requiresGrad(true);

    private void step() {
        Functional.sum(Functional.linear(x, w, b)).backward();
    }

    @Test
    void backwardAfterZeroGradReusesTheBufferAndOverwritesIt() {
        step();
        Tensor buffer = w.grad();
        float[] first = buffer.toArray();
        w.zeroGrad();
        b.zeroGrad();
        step();
        assertSame(buffer, w.grad());
        assertArrayEquals(first, w.grad().toArray());   // overwritten, not added to the stale values
    }

    @Test
    void withoutZeroGradGradientsAccumulate() {
        step();
        float[] once = w.grad().toArray();
        step();
        float[] twice = w.grad().toArray();
        for (int i = 0; i < once.length; i++) {
            once[i] *= 2;
        }
        assertArrayEquals(once, twice);
        assertArrayEquals(new float[] {4, 4, 4}, b.grad().toArray());
    }

    @Test
    void aZeroedGradientReadsAsZerosUntilTheNextBackward() {
        step();
        w.zeroGrad();
        assertArrayEquals(new float[6], w.grad().toArray());
    }

    @Test
    void aLeafUsedTwiceAfterZeroGradGetsTheSumOfBothUses() {
        step();
        w.zeroGrad();
        // y = sum(x·wᵀ) + sum(x·wᵀ): dw = 2·(column sums of x), per output row
        Functional.add(Functional.sum(Functional.linear(x, w, null)), Functional.sum(Functional.linear(x, w, null)))
                .backward();
        assertArrayEquals(new float[] {8, 12, 8, 12, 8, 12}, w.grad().toArray());
    }
}
