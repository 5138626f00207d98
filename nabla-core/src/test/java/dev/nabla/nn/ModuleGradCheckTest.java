package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.GradCheck;
import dev.nabla.ops.Activation;
import dev.nabla.ops.GeluApproximation;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every module's backward agrees with finite differences, for its input and each of its parameters. */
class ModuleGradCheckTest {
    static Stream<Arguments> modules() {
        return Stream.of(
                Arguments.of("Linear", (Supplier<Module>) () -> new Linear(5, 3, new Rng(1)), new int[] {4, 5}),
                Arguments.of("Linear without bias", (Supplier<Module>) () -> new Linear(5, 3, false, new Rng(2)),
                        new int[] {4, 5}),
                Arguments.of("Sigmoid", (Supplier<Module>) Sigmoid::new, new int[] {3, 4}),
                Arguments.of("Tanh", (Supplier<Module>) Tanh::new, new int[] {3, 4}),
                Arguments.of("ReLU", (Supplier<Module>) ReLU::new, new int[] {3, 4}),
                Arguments.of("LeakyReLU", (Supplier<Module>) () -> new LeakyReLU(0.1f), new int[] {3, 4}),
                Arguments.of("ELU", (Supplier<Module>) () -> new ELU(0.7), new int[] {3, 4}),
                Arguments.of("GELU", (Supplier<Module>) GELU::new, new int[] {3, 4}),
                Arguments.of("GELU, tanh form", (Supplier<Module>) () -> new GELU(GeluApproximation.TANH),
                        new int[] {3, 4}),
                Arguments.of("Flatten then Linear", (Supplier<Module>) () -> new Sequential(new Flatten(),
                        new Linear(6, 2, new Rng(3))), new int[] {2, 2, 3}),
                Arguments.of("Dropout in eval mode", (Supplier<Module>) () -> new Dropout(0.5f, new Rng(4)).eval(),
                        new int[] {3, 4}),
                Arguments.of("MLP", (Supplier<Module>) () -> new MlpSpec(4, List.of(6, 5), 3, Activation.TANH,
                        Init.Scheme.XAVIER).build(new Rng(5)), new int[] {3, 4}),
                Arguments.of("BatchNorm1d training [N, C]", affine(() -> new BatchNorm1d(3)), new int[] {6, 3}),
                Arguments.of("BatchNorm1d training [N, C, L]", affine(() -> new BatchNorm1d(3)), new int[] {4, 3, 5}),
                Arguments.of("BatchNorm2d training", affine(() -> new BatchNorm2d(3)), new int[] {2, 3, 3, 4}),
                Arguments.of("BatchNorm1d without affine", (Supplier<Module>) () -> new BatchNorm1d(3,
                        BatchNorm.Options.defaults().withAffine(false)), new int[] {6, 3}),
                Arguments.of("BatchNorm1d in eval mode", affine(() -> {
                    BatchNorm1d bn = new BatchNorm1d(3);
                    bn.forward(Tensor.randn(new Rng(6), 8, 3));   // running statistics away from 0 and 1
                    return bn.eval();
                }), new int[] {4, 3}),
                Arguments.of("BatchNorm1d without running statistics in eval mode", affine(() -> new BatchNorm1d(3,
                        BatchNorm.Options.defaults().withTrackRunningStats(false)).eval()), new int[] {6, 3}),
                Arguments.of("LayerNorm", affine(() -> new LayerNorm(5)), new int[] {4, 5}),
                Arguments.of("LayerNorm over two dimensions", affine(() -> new LayerNorm(3, 4)), new int[] {2, 3, 4}),
                Arguments.of("GroupNorm [N, C, L]", affine(() -> new GroupNorm(2, 6)), new int[] {3, 6, 2}),
                Arguments.of("GroupNorm [N, C]", affine(() -> new GroupNorm(2, 6)), new int[] {3, 6}),
                Arguments.of("MLP with batch norm", (Supplier<Module>) () -> new MlpSpec(4, List.of(6, 5), 3,
                        Activation.TANH, Init.Scheme.XAVIER, true).build(new Rng(8)), new int[] {5, 4}));
    }

    /** The module with γ drawn around 1 and β around 0, so that a backward ignoring either would show. */
    private static Supplier<Module> affine(Supplier<Module> builder) {
        return () -> {
            Module m = builder.get();
            Rng rng = new Rng(7);
            m.namedParameters().forEach((name, p) -> {
                for (int i = 0; i < p.size(); i++) {
                    p.data()[i] = (name.endsWith("weight") ? 1f : 0f) + 0.5f * rng.nextGaussian();
                }
            });
            return m;
        };
    }

    /** Inputs drawn from ±[0.1, 1.1], away from ReLU's kink at zero. */
    private static Tensor input(int[] shape) {
        Tensor x = Tensor.rand(new Rng(9), shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (i % 2 == 0 ? 1 : -1) * (0.1f + d[i]);
        }
        return x;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modules")
    void backwardAgreesWithFiniteDifferences(String name, Supplier<Module> builder, int[] shape) {
        GradCheck.Result result = GradCheck.checkModule(builder.get(), input(shape));
        assertTrue(result.passed(), name + ": " + result);
    }

    @Test
    void checkingAModuleLeavesItsParametersAndGradientsAsTheyWere() {
        Linear layer = new Linear(3, 2, new Rng(1));
        float[] before = layer.weight().toArray();
        GradCheck.Result result = GradCheck.checkModule(layer, input(new int[] {2, 3}));
        assertTrue(result.passed(), result.toString());
        assertEquals(3 * 2 + 2 * 3 + 2, result.checked());
        assertTrue(java.util.Arrays.equals(before, layer.weight().toArray()));
        assertNull(layer.weight().grad());
    }

    @Test
    void checkingABatchNormInTrainingModeLeavesItsRunningStatisticsAsTheyWere() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.forward(Tensor.randn(new Rng(2), 5, 3));
        float[] mean = bn.runningMean().toArray();
        float[] var = bn.runningVar().toArray();
        assertTrue(GradCheck.checkModule(bn, input(new int[] {4, 3})).passed());
        assertTrue(java.util.Arrays.equals(mean, bn.runningMean().data()));
        assertTrue(java.util.Arrays.equals(var, bn.runningVar().data()));
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void aModuleWithAWrongBackwardFails() {
        Module wrong = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                // tanh's values but sigmoid's derivative: the check must notice
                Tensor y = dev.nabla.ops.Functional.sigmoid(x);
                Tensor t = Tensor.zeros(x.shape());
                for (int i = 0; i < t.size(); i++) {
                    t.data()[i] = (float) Math.tanh(x.data()[i]) - y.data()[i];
                }
                return dev.nabla.ops.Functional.add(y, t);
            }
        };
        assertFalse(GradCheck.checkModule(wrong, input(new int[] {2, 3})).passed());
    }
}
