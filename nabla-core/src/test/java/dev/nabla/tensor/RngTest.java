package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RngTest {
    @ParameterizedTest
    @ValueSource(longs = {0, 1, 42, -7, Long.MIN_VALUE, 0x9e3779b97f4a7c15L})
    void drawsExactlyTheNumbersOfSplittableRandom(long seed) {
        Rng rng = new Rng(seed);
        SplittableRandom jdk = new SplittableRandom(seed);
        for (int i = 0; i < 2000; i++) {
            switch (i % 5) {
                case 0 -> assertEquals(jdk.nextFloat(), rng.nextFloat());
                case 1 -> assertEquals((float) jdk.nextGaussian(), rng.nextGaussian());
                case 2 -> assertEquals(jdk.nextInt(1 + i), rng.nextInt(1 + i));
                case 3 -> assertEquals(jdk.nextInt(1 << 30 | i), rng.nextInt(1 << 30 | i));
                default -> assertEquals(-2 + 5 * jdk.nextFloat(), rng.uniform(-2, 3));
            }
        }
    }

    @Test
    void splitsAsSplittableRandomDoes() {
        Rng rng = new Rng(3);
        SplittableRandom jdk = new SplittableRandom(3);
        for (int k = 0; k < 20; k++) {
            Rng child = rng.split();
            SplittableRandom jdkChild = jdk.split();
            for (int i = 0; i < 50; i++) {
                assertEquals(jdkChild.nextFloat(), child.nextFloat());
            }
            rng = child.split();
            jdk = jdkChild.split();
        }
    }

    @Test
    void permutationIsFisherYatesOverTheSameDraws() {
        SplittableRandom jdk = new SplittableRandom(5);
        int[] expected = new int[100];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i;
        }
        for (int i = expected.length - 1; i > 0; i--) {
            int j = jdk.nextInt(i + 1);
            int t = expected[i];
            expected[i] = expected[j];
            expected[j] = t;
        }
        assertArrayEquals(expected, new Rng(5).permutation(100));
    }

    @Test
    void restoredStateContinuesTheSequence() {
        Rng rng = new Rng(11).split();
        for (int i = 0; i < 37; i++) {
            rng.nextGaussian();
        }
        Rng.State state = rng.state();
        float[] expected = new float[64];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = i % 2 == 0 ? rng.nextGaussian() : rng.nextFloat();
        }
        Rng restored = Rng.restore(state);
        Rng reset = new Rng(99);
        reset.setState(state);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], i % 2 == 0 ? restored.nextGaussian() : restored.nextFloat());
            assertEquals(expected[i], i % 2 == 0 ? reset.nextGaussian() : reset.nextFloat());
        }
    }

    @Test
    void refusesAStateWithAnEvenGamma() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Rng.State(1, 2));
        assertEquals("a generator's gamma must be odd, got 2: the state was not written by Rng.state()", e.getMessage());
    }
}
