package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpSpecTest {
    @Test
    void buildsLinearActivationPairsThenTheOutputLayer() {
        Sequential net = new MlpSpec(784, List.of(256, 128), 10, Activation.TANH, Init.Scheme.DEFAULT).build(new Rng(1));
        assertEquals(5, net.size());
        assertInstanceOf(Linear.class, net.get(0));
        assertInstanceOf(Tanh.class, net.get(1));
        assertEquals(128, ((Linear) net.get(4)).inFeatures());
        assertEquals(10, ((Linear) net.get(4)).outFeatures());
        assertEquals("784-256-128-10 tanh, init default", new MlpSpec(784, List.of(256, 128), 10, Activation.TANH, Init.Scheme.DEFAULT).toString());
    }

    @Test
    void batchNormGoesBetweenEachHiddenLinearAndItsActivation() {
        MlpSpec spec = new MlpSpec(784, List.of(256, 128), 10, Activation.RELU, Init.Scheme.DEFAULT, true);
        Sequential net = spec.build(new Rng(1));
        assertEquals(7, net.size());
        assertInstanceOf(Linear.class, net.get(0));
        assertEquals(256, assertInstanceOf(BatchNorm1d.class, net.get(1)).numFeatures());
        assertInstanceOf(ReLU.class, net.get(2));
        assertEquals(128, assertInstanceOf(BatchNorm1d.class, net.get(4)).numFeatures());
        assertInstanceOf(Linear.class, net.get(6));
        assertEquals("784-256-128-10 relu+bn, init default", spec.toString());
        assertEquals(List.of("1.running_mean", "1.running_var", "1.num_batches_tracked", "4.running_mean",
                "4.running_var", "4.num_batches_tracked"), List.copyOf(net.namedBuffers().keySet()));
    }

    @Test
    void normalInitDrawsUnitVarianceWeightsAndZeroBiases() {
        Linear layer = (Linear) new MlpSpec(256, List.of(256), 10, Activation.RELU, Init.Scheme.NORMAL).build(new Rng(1)).get(0);
        double sum = 0;
        double sq = 0;
        for (float w : layer.weight().data()) {
            sum += w;
            sq += (double) w * w;
        }
        int n = layer.weight().size();
        assertEquals(0, sum / n, 0.01);
        assertEquals(1, Math.sqrt(sq / n - (sum / n) * (sum / n)), 0.01);
        for (float b : layer.bias().data()) {
            assertEquals(0f, b);
        }
    }

    @Test
    void heAndXavierZeroTheBiases() {
        for (Init.Scheme init : List.of(Init.Scheme.HE, Init.Scheme.XAVIER)) {
            Sequential net = new MlpSpec(20, List.of(30), 5, Activation.RELU, init).build(new Rng(1));
            for (float b : ((Linear) net.get(0)).bias().data()) {
                assertEquals(0f, b, init.toString());
            }
        }
    }

    @Test
    void heInitForReluHasStdSqrtTwoOverFanIn() {
        Sequential net = new MlpSpec(1000, List.of(1000), 2, Activation.RELU, Init.Scheme.HE).build(new Rng(1));
        float[] w = ((Linear) net.get(0)).weight().data();
        double sq = 0;
        for (float v : w) {
            sq += v * v;
        }
        assertEquals(Math.sqrt(2.0 / 1000), Math.sqrt(sq / w.length), 0.002);
    }

    @Test
    void badSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new MlpSpec(4, List.of(0), 2, Activation.RELU,
                Init.Scheme.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new MlpSpec(0, List.of(), 2, Activation.RELU,
                Init.Scheme.DEFAULT));
    }
}
