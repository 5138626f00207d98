package dev.nabla.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ModelSpec;
import dev.nabla.nn.Module;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import dev.nabla.optim.SGD;
import dev.nabla.train.Trainer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StepMemoryTest {
    @Test
    void theNextStepReusesTheArraysOfThisOneAndKeepsABoundedShareOfTheOthers() {
        StepMemory memory = new StepMemory();
        float[] first;
        try (StepMemory step = memory.enter()) {
            first = Tensor.activationBuffer(Shape.of(2, 3)).data();
        }
        try (StepMemory step = memory.enter()) {
            assertSame(first, Tensor.activationBuffer(Shape.of(3, 2)).data(), "same length, same array");
            assertNotSame(first, Tensor.activationBuffer(Shape.of(6)).data(), "each array once per step");
        }

        StepMemory sizes = new StepMemory();
        float[] sixty;
        float[] fifty;
        float[] hundred;
        try (StepMemory step = sizes.enter()) {   // the largest step: 110 floats
            sixty = Tensor.activationBuffer(Shape.of(60)).data();
            fifty = Tensor.activationBuffer(Shape.of(50)).data();
        }
        try (StepMemory step = sizes.enter()) {   // took 100: 60 and 50 unused, kept (110 ≤ 2 · 110 − 100)
            hundred = Tensor.activationBuffer(Shape.of(100)).data();
        }
        try (StepMemory step = sizes.enter()) {   // took 105: of 60, 50 and 100 unused, at most 115 kept
            Tensor.activationBuffer(Shape.of(105));
        }
        try (StepMemory step = sizes.enter()) {
            int kept = 0;
            kept += Tensor.activationBuffer(Shape.of(60)).data() == sixty ? 60 : 0;
            kept += Tensor.activationBuffer(Shape.of(50)).data() == fifty ? 50 : 0;
            kept += Tensor.activationBuffer(Shape.of(100)).data() == hundred ? 100 : 0;
            assertTrue(kept > 0 && kept <= 115, "what the memory holds stays within twice its largest step: kept "
                    + kept);
        }
    }

    /**
     * An epoch's steps of three sizes (full training batches, the smaller last one, evaluation batches without
     * gradients) fit in twice the largest step, so every epoch reuses the arrays of the first: none is made again
     * and left as garbage in the old generation.
     */
    @Test
    void theArraysOfASmallerLastBatchAndOfAnEvaluationAreKeptFromEpochToEpoch() {
        StepMemory memory = new StepMemory();
        int[][] epoch = {{60, 50}, {60, 50}, {40, 30}, {50}, {10}};   // train, train, last batch, evaluate, last
        Map<Integer, float[]> first = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int[] lengths : epoch) {
                try (StepMemory step = memory.enter()) {
                    for (int length : lengths) {
                        float[] a = Tensor.activationBuffer(Shape.of(length)).data();
                        float[] before = first.putIfAbsent(length, a);
                        if (round > 0) {
                            assertTrue(before == a, "epoch " + round + ": the array of " + length + " floats again");
                        }
                    }
                }
            }
        }
    }

    @Test
    void outsideAStepBuffersAreFreshZerosAndInsideOneTheTestsPoisonThem() {
        float[] outside = Tensor.activationBuffer(Shape.of(4)).data();
        assertArrayEquals(new float[4], outside);
        StepMemory memory = new StepMemory();
        try (StepMemory step = memory.enter()) {
            float[] inside = Tensor.activationBuffer(Shape.of(4)).data();
            assertTrue(Float.isNaN(inside[0]), "assertions are on in the tests: an unwritten element shows as NaN");
            assertThrows(IllegalStateException.class, memory::enter);
        }
        assertArrayEquals(new float[4], Tensor.activationBuffer(Shape.of(4)).data(), "closed: fresh again");
    }

    static Stream<Arguments> models() {
        int classes = Digits.NUM_CLASSES;
        return Stream.of(
                Arguments.of("cnn", new CnnSpec(8, 8, List.of(4, 6), List.of(10), classes, true, 0)),
                Arguments.of("mlp", new MlpSpec(64, List.of(32, 16), classes, Activation.RELU, Init.Scheme.DEFAULT,
                        true)),
                Arguments.of("lstm", RecurrentSpec.ofImages(RecurrentSpec.Kind.LSTM, 64, List.of(12, 12), classes,
                        Activation.TANH, Double.NaN)),
                Arguments.of("gru", RecurrentSpec.ofImages(RecurrentSpec.Kind.GRU, 64, List.of(12), classes,
                        Activation.TANH, Double.NaN)),
                Arguments.of("rnn", RecurrentSpec.ofImages(RecurrentSpec.Kind.RNN, 64, List.of(12), classes,
                        Activation.RELU, Double.NaN)));
    }

    /**
     * The trainer runs every step in a memory whose arrays the next step reuses, filled with NaN first in the tests:
     * an op that read a stale or unwritten element, or a step that used a previous step's output, would show here.
     * The last batch is smaller (1,437 samples in batches of 100), so the sizes change too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aModelTrainedInStepMemoryEndsWithTheWeightsOfOneTrainedWithout(String name, ModelSpec spec) {
        Dataset train = Digits.train();
        Module trained = spec.build(new Rng(5));
        Trainer.builder(trained, new SGD(trained.parameters(), 0.05)).batchSize(100).seed(3).epochs(2)
                .build().fit(train, null);

        Module plain = spec.build(new Rng(5));
        SGD sgd = new SGD(plain.parameters(), 0.05);
        DataLoader loader = new DataLoader(train, 100, DataLoader.shuffled(3));
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batch batch : loader) {
                Tensor loss = new CrossEntropyLoss().apply(plain.call(batch.x()), batch.y());
                sgd.zeroGrad();
                loss.backward();
                sgd.step();
            }
        }
        Map<String, Tensor> expected = plain.stateDict();
        trained.stateDict().forEach((param, t) -> assertArrayEquals(expected.get(param).data(), t.data(), param));
    }
}
