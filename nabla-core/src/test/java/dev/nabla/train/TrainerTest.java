package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Digits;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    private static History train(long seed, int epochs) {
        Sequential model = new MlpSpec(64, List.of(32, 16), 10, "tanh", "default").build(new Rng(seed));
        return Trainer.builder(model, new SGD(model.parameters(), 0.05,
                SGD.Options.defaults().withMomentum(0.9))).epochs(epochs).batchSize(32).seed(seed)
                .build().fit(Digits.train(), Digits.test());
    }

    @Test
    void sameSeedAndThreadsGiveABitIdenticalLossSequence() {
        Parallel.setThreads(2);
        float[] first = train(7, 2).stepLosses();
        float[] second = train(7, 2).stepLosses();
        assertEquals(2 * 45, first.length);
        for (int i = 0; i < first.length; i++) {
            assertEquals(Float.floatToRawIntBits(first[i]), Float.floatToRawIntBits(second[i]), "step " + i);
        }
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        assertTrue(!Arrays.equals(train(1, 1).stepLosses(), train(2, 1).stepLosses()));
    }

    @Test
    void historyHasOneSummaryPerEpochAndLearns() {
        History history = train(3, 3);
        assertEquals(3, history.epochs().size());
        assertTrue(history.last().trainLoss() < history.epochs().get(0).trainLoss());
        assertTrue(history.last().testAccuracy() > 0.8, "accuracy " + history.last().testAccuracy());
        assertTrue(history.last().samplesPerSecond() > 0);
    }

    @Test
    void listenersHearEveryStepAndEpoch() {
        Sequential model = new Sequential(new Linear(64, 10, new Rng(1)));
        List<String> events = new ArrayList<>();
        Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(2).batchSize(500)
                .listener(new TrainingListener() {
                    @Override
                    public void onStart(int epochs, int stepsPerEpoch, int trainSamples) {
                        events.add("start " + epochs + "x" + stepsPerEpoch);
                    }

                    @Override
                    public void onStep(StepMetrics step) {
                        events.add("step " + step.epoch() + "." + step.step());
                    }

                    @Override
                    public void onEpochEnd(EpochMetrics epoch) {
                        events.add("epoch " + epoch.epoch());
                    }

                    @Override
                    public void onEnd(History history) {
                        events.add("end");
                    }
                })
                .build().fit(Digits.train(), null);
        assertEquals(List.of("start 2x3", "step 1.1", "step 1.2", "step 1.3", "epoch 1",
                "step 2.1", "step 2.2", "step 2.3", "epoch 2", "end"), events);
    }

    @Test
    void aLossThatTurnsNanStopsTrainingAndNamesTheStep() {
        Linear layer = new Linear(64, 10, new Rng(1));
        layer.weight().data()[5] = Float.NaN;
        Sequential model = new Sequential(layer);
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(1).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(Digits.train(), Digits.test()));
        assertTrue(e.getMessage().contains("NaN at epoch 1, step 1"), e.getMessage());
        assertTrue(e.getMessage().contains("first in sample 0, output 0"), e.getMessage());   // weight [0, 5] is NaN
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }

    @Test
    void evaluationLeavesTheModeAsItWas() {
        Sequential model = new Sequential(new Linear(64, 10, new Rng(1)));
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1)).build();
        model.train();
        Evaluation e = trainer.evaluate(Digits.test());
        assertTrue(model.isTraining());
        assertEquals(360, e.samples());
        assertTrue(e.accuracy() >= 0 && e.accuracy() <= 1);
    }

    @Test
    void badOptionsAreRejectedWithTheValue() {
        Sequential model = new Sequential(new Linear(64, 10, new Rng(1)));
        var builder = Trainer.builder(model, new SGD(model.parameters(), 0.1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.epochs(0)).getMessage().contains("0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.batchSize(-3)).getMessage().contains("-3"));
    }
}
