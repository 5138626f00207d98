package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Digits;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.ops.Activation;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.testing.PoisonedBackward;
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
        Sequential model = new MlpSpec(64, List.of(32, 16), 10, Activation.TANH, Init.Scheme.DEFAULT).build(new Rng(seed));
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
    void aGradientThatTurnsNanStopsTrainingAndNamesTheParameterNearestTheOutput() {
        Sequential model = new Sequential(new Linear(64, 16, new Rng(1)), new PoisonedBackward(2), new ReLU(),
                new Linear(16, 10, new Rng(2)));
        long[] heard = {0};
        Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(1)
                .listener(new TrainingListener() {
                    @Override
                    public void afterBackward(long globalStep) {
                        heard[0] = globalStep;
                    }
                }).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.fit(Digits.train(), null));
        assertEquals(2, e.globalStep());
        assertEquals(2, heard[0], "listeners see the NaN gradient before the trainer stops");
        assertTrue(e.getMessage().contains("the gradient became NaN at epoch 1, step 2"), e.getMessage());
        assertTrue(e.getMessage().contains("parameter 0.bias [16]"), e.getMessage());
    }

    @Test
    void afterBackwardSeesTheGradientsAndTheWeightsBeforeTheStep() {
        Linear layer = new Linear(64, 10, new Rng(1));
        Sequential model = new Sequential(layer);
        float[][] seen = new float[2][];
        Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(1).maxSteps(1)
                .listener(new TrainingListener() {
                    @Override
                    public void afterBackward(long globalStep) {
                        seen[0] = layer.weight().data().clone();
                        seen[1] = layer.weight().grad().data().clone();
                    }
                }).build().fit(Digits.train(), null);
        float[] after = layer.weight().data();
        for (int i = 0; i < after.length; i++) {
            assertEquals(seen[0][i] - 0.1f * seen[1][i], after[i], 1e-6f, "entry " + i);
        }
    }

    @Test
    void clippingByNormCapsTheStepAndHistoryKeepsBothNorms() {
        Sequential model = new MlpSpec(64, List.of(32), 10, Activation.RELU, Init.Scheme.DEFAULT).build(new Rng(4));
        List<StepMetrics> steps = new ArrayList<>();
        History history = Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(1).maxSteps(5)
                .clipGradNorm(0.05)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepMetrics step) {
                        steps.add(step);
                    }
                }).build().fit(Digits.train(), null);
        assertEquals(5, history.steps());
        double[] before = history.stepGradNorms();
        double[] after = history.stepClippedGradNorms();
        for (int i = 0; i < 5; i++) {
            assertTrue(before[i] > 0.05, "the raw norm is larger than the cap: " + before[i]);
            assertEquals(0.05, after[i], 1e-6);
            assertEquals(before[i], steps.get(i).gradNorm());
            assertEquals(after[i], steps.get(i).clippedGradNorm());
        }
    }

    @Test
    void clippingByValueClampsEveryEntry() {
        Linear layer = new Linear(64, 10, new Rng(1));
        Sequential model = new Sequential(layer);
        float[] before = layer.weight().data().clone();
        History history = Trainer.builder(model, new SGD(model.parameters(), 1.0)).maxSteps(1).clipGradValue(1e-4)
                .build().fit(Digits.train(), null);
        float[] after = layer.weight().data();
        float largest = 0;
        for (int i = 0; i < after.length; i++) {
            largest = Math.max(largest, Math.abs(after[i] - before[i]));
        }
        assertEquals(1e-4f, largest, 1e-8f, "an SGD step of lr 1 moves each weight by its clamped gradient (float32 rounding)");
        assertTrue(history.stepClippedGradNorms()[0] < history.stepGradNorms()[0]);
    }

    @Test
    void withoutClippingBothNormsAreTheGlobalNorm() {
        Sequential model = new Sequential(new Linear(64, 10, new Rng(1)));
        History history = Trainer.builder(model, new SGD(model.parameters(), 0.1)).maxSteps(3).build()
                .fit(Digits.train(), null);
        assertEquals(3, history.steps());
        assertTrue(history.stepGradNorms()[0] > 0);
        assertEquals(history.stepGradNorms()[2], history.stepClippedGradNorms()[2]);
    }

    @Test
    void maxStepsEndsTheRunInsideAnEpochAndStillEvaluatesIt() {
        Sequential model = new Sequential(new Linear(64, 10, new Rng(1)));
        History history = Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(5).maxSteps(30).build()
                .fit(Digits.train(), Digits.test());
        assertEquals(30, history.steps());   // 23 steps per epoch at batch 64: the second epoch is cut at step 7
        assertEquals(2, history.epochs().size());
        assertTrue(history.last().testAccuracy() > 0);
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
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.clipGradNorm(0)).getMessage()
                .contains("clipGradNorm"));
        assertThrows(IllegalArgumentException.class, () -> builder.clipGradValue(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> builder.maxSteps(0));
    }

    /** y = 2·x0 − x1 + 0.5 on 400 points of [−1, 1]², exactly, split 300 / 100. */
    private static dev.nabla.data.Dataset.Split plane() {
        Rng rng = new Rng(5);
        float[] x = new float[800];
        float[] y = new float[400];
        for (int i = 0; i < 400; i++) {
            x[2 * i] = rng.uniform(-1, 1);
            x[2 * i + 1] = rng.uniform(-1, 1);
            y[i] = 2 * x[2 * i] - x[2 * i + 1] + 0.5f;
        }
        return dev.nabla.data.Dataset.regression("plane", x, dev.nabla.tensor.Shape.of(2), y, 1).split(0.75, 1);
    }

    @Test
    void regressionDataTrainsWithMeanSquaredErrorAndIsScoredInR2() {
        dev.nabla.data.Dataset.Split split = plane();
        Sequential model = new MlpSpec(2, List.of(), 1, Activation.RELU, Init.Scheme.DEFAULT).build(new Rng(1));
        History h = Trainer.builder(model, new SGD(model.parameters(), 0.1)).epochs(20).batchSize(16).build()
                .fit(split.train(), split.test());
        Evaluation test = h.finalTest();
        assertTrue(test.r2() > 0.999, "a linear model fits a plane: R² " + test.r2());
        assertTrue(test.rmse() < 0.02 && test.mae() <= test.rmse(), test.toString());
        assertEquals(test.loss(), test.rmse() * test.rmse(), 1e-6, "MSE on unscaled targets is RMSE²");
        assertTrue(Double.isNaN(h.last().trainAccuracy()) && Double.isNaN(test.accuracy()), "no accuracy");
        assertEquals(h.last().testLoss(), test.loss(), 0, "without validation the final test is the last epoch's");
    }

    @Test
    void aLossForTheOtherTaskIsRefusedNamingTheFix() {
        dev.nabla.data.Dataset.Split split = plane();
        Sequential model = new MlpSpec(2, List.of(), 1, Activation.RELU, Init.Scheme.DEFAULT).build(new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(model,
                new SGD(model.parameters(), 0.1)).loss(new dev.nabla.loss.CrossEntropyLoss()).build()
                .fit(split.train(), split.test()));
        assertTrue(e.getMessage().contains("give a regression loss with regressionLoss"), e.getMessage());
        Sequential classifier = new MlpSpec(64, List.of(), 10, Activation.RELU, Init.Scheme.DEFAULT).build(new Rng(1));
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(
                classifier, new SGD(classifier.parameters(), 0.1)).regressionLoss(new dev.nabla.loss.L1Loss())
                .build().fit(Digits.train(), Digits.test()));
        assertTrue(other.getMessage().contains("has class labels, but the trainer was given a regression loss"),
                other.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> Trainer.builder(
                classifier, new SGD(classifier.parameters(), 0.1)).build().fit(Digits.train(), split.test()));
        assertTrue(mixed.getMessage().contains("does not match the training data"), mixed.getMessage());
    }
}
