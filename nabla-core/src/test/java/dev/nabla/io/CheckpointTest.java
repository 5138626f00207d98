package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Dataset;
import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.data.Standardization;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.LrScheduler;
import dev.nabla.optim.OneCycleLR;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.ReduceLROnPlateau;
import dev.nabla.optim.StepLR;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.History;
import dev.nabla.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
    private final int threadsBefore = Parallel.threads();

    @TempDir
    Path dir;

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** Batch normalisation's buffers, dropout's generator, Adam's moments: every kind of state a run carries. */
    private static Sequential model() {
        Rng rng = new Rng(4);
        return new Sequential(new Linear(64, 32, rng), new BatchNorm1d(32), new ReLU(), new Dropout(0.3f, rng),
                new Linear(32, 10, rng));
    }

    private static Trainer.Builder trainer(Module model, Optimizer optimizer) {
        return Trainer.builder(model, optimizer).epochs(3).batchSize(40).seed(9);
    }

    /** Thrown by a checkpointer that "crashes" the run right after its n-th save. */
    private static final class Crash extends RuntimeException {
    }

    @ParameterizedTest(name = "crash after save {0}")
    @ValueSource(ints = {1, 3, 6})
    void aRunResumedFromItsCheckpointEndsWithTheSameBits(int crashAfter) throws IOException {
        Parallel.setThreads(2);
        Sequential straight = model();
        History full = trainer(straight, new Adam(straight.parameters(), 1e-2)).build()
                .fit(Digits.train(), Digits.test());

        Sequential first = model();
        Optimizer firstOpt = new Adam(first.parameters(), 1e-2);
        Checkpoint checkpoint = new Checkpoint(dir, first, firstOpt, null, Map.of("args", "--x"));
        int[] saves = {0};
        assertThrows(Crash.class, () -> trainer(first, firstOpt).checkpoint((position, history, best) -> {
            checkpoint.save(position, history, best);
            if (++saves[0] == crashAfter) {
                throw new Crash();
            }
        }, 10).build().fit(Digits.train(), Digits.test()));

        Sequential second = model();
        Optimizer secondOpt = new Adam(second.parameters(), 1e-2);
        for (int i = 0; i < 5; i++) {   // a different generator position than the saved one
            Tensor.rand(new Rng(i), 1);
        }
        Checkpoint.Resumed resumed = Checkpoint.restore(dir, second, secondOpt);
        assertEquals(Map.of("args", "--x"), resumed.config());
        History rest = trainer(second, secondOpt).resumeFrom(resumed.position(), resumed.history(), resumed.best())
                .checkpoint(new Checkpoint(dir, second, secondOpt, null, Map.of()), 10).build()
                .fit(Digits.train(), Digits.test());

        straight.namedState().forEach((name, t) -> assertArrayEquals(t.data(), second.namedState().get(name).data(),
                name));
        assertArrayEquals(full.stepLosses(), rest.stepLosses());
        assertEquals(full.epochs().size(), rest.epochs().size());
        for (int e = 0; e < full.epochs().size(); e++) {
            assertEquals(full.epochs().get(e).trainLoss(), rest.epochs().get(e).trainLoss());
            assertEquals(full.epochs().get(e).testAccuracy(), rest.epochs().get(e).testAccuracy());
        }
        // the model file beside the checkpoint is the final model, loadable alone
        Sequential loaded = model();
        ModelFile.loadInto(dir.resolve(Checkpoint.MODEL), loaded, true);
        straight.namedState().forEach((name, t) -> assertArrayEquals(t.data(), loaded.namedState().get(name).data()));
    }

    @ParameterizedTest(name = "{0}, crash after save {1}")
    @org.junit.jupiter.params.provider.CsvSource({"step, 2", "step, 5", "onecycle, 3", "plateau, 4"})
    void aRunWithAScheduleValidationAndEarlyStoppingResumesBitForBit(String kind, int crashAfter) throws IOException {
        Parallel.setThreads(2);
        Dataset.Split held = Digits.train().split(0.8, 3);
        java.util.function.Function<Optimizer, LrScheduler> schedule = opt -> switch (kind) {
            case "step" -> new StepLR(opt, 2, 0.5);
            case "onecycle" -> new OneCycleLR(opt, 0.05, 8 * 29);
            default -> new ReduceLROnPlateau(opt, 0.5, 0);
        };
        boolean perStep = kind.equals("onecycle");
        Sequential straight = model();
        Optimizer straightOpt = new Adam(straight.parameters(), 1e-2);
        History full = Trainer.builder(straight, straightOpt).epochs(8).batchSize(40).seed(9)
                .schedule(schedule.apply(straightOpt), perStep).validation(held.test()).earlyStopping(2, 0)
                .build().fit(held.train(), Digits.test());

        Sequential first = model();
        Optimizer firstOpt = new Adam(first.parameters(), 1e-2);
        LrScheduler firstSchedule = schedule.apply(firstOpt);
        Checkpoint checkpoint = new Checkpoint(dir, first, firstOpt, firstSchedule, null, Map.of());
        int[] saves = {0};
        assertThrows(Crash.class, () -> Trainer.builder(first, firstOpt).epochs(8).batchSize(40).seed(9)
                .schedule(firstSchedule, perStep).validation(held.test()).earlyStopping(2, 0)
                .checkpoint((position, history, best) -> {
                    checkpoint.save(position, history, best);
                    if (++saves[0] == crashAfter) {
                        throw new Crash();
                    }
                }, 13).build().fit(held.train(), Digits.test()));

        Sequential second = model();
        Optimizer secondOpt = new Adam(second.parameters(), 1e-2);
        LrScheduler secondSchedule = schedule.apply(secondOpt);
        Checkpoint.Resumed resumed = Checkpoint.restore(dir, second, secondOpt, secondSchedule);
        History rest = Trainer.builder(second, secondOpt).epochs(8).batchSize(40).seed(9)
                .schedule(secondSchedule, perStep).validation(held.test()).earlyStopping(2, 0)
                .resumeFrom(resumed.position(), resumed.history(), resumed.best()).build()
                .fit(held.train(), Digits.test());

        straight.namedState().forEach((name, t) -> assertArrayEquals(t.data(), second.namedState().get(name).data(),
                name));
        assertEquals(full.bestEpoch(), rest.bestEpoch());
        assertEquals(full.epochs().size(), rest.epochs().size());
        assertEquals(full.finalTest(), rest.finalTest());
        for (int e = 0; e < full.epochs().size(); e++) {
            assertEquals(full.epochs().get(e).lr(), rest.epochs().get(e).lr(), "epoch " + (e + 1));
            assertEquals(full.epochs().get(e).valLoss(), rest.epochs().get(e).valLoss(), "epoch " + (e + 1));
        }
    }

    @Test
    void aRegressionRunResumesBitForBitAndItsCheckpointKeepsTheTestErrors() throws IOException {
        Parallel.setThreads(2);
        // Digits' pixels as features, the label as a number to predict: standardized as the command line does
        float[] targets = new float[Digits.train().size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = Digits.train().label(i);
        }
        Dataset all = Dataset.regression("digits-as-numbers", Digits.train().batch(
                java.util.stream.IntStream.range(0, targets.length).toArray()).x().data(), Digits.train().sampleShape(),
                targets, 1);
        Dataset.Split split = all.split(0.8, 3);
        Standardization features = Standardization.ofFeatures(split.train());
        Standardization scaling = Standardization.ofTargets(split.train());
        Dataset train = split.train().standardized(features, scaling);
        Dataset test = split.test().standardized(features, scaling);
        java.util.function.Supplier<Sequential> regressor = () -> {
            Rng rng = new Rng(4);
            return new Sequential(new Linear(64, 32, rng), new ReLU(), new Dropout(0.3f, rng), new Linear(32, 1, rng));
        };
        Sequential straight = regressor.get();
        History full = trainer(straight, new Adam(straight.parameters(), 1e-2)).build().fit(train, test);

        Sequential first = regressor.get();
        Optimizer firstOpt = new Adam(first.parameters(), 1e-2);
        Checkpoint checkpoint = new Checkpoint(dir, first, firstOpt, null, Map.of());
        int[] saves = {0};
        assertThrows(Crash.class, () -> trainer(first, firstOpt).checkpoint((position, history, best) -> {
            checkpoint.save(position, history, best);
            if (++saves[0] == 3) {
                throw new Crash();
            }
        }, 7).build().fit(train, test));
        Sequential second = regressor.get();
        Optimizer secondOpt = new Adam(second.parameters(), 1e-2);
        Checkpoint.Resumed resumed = Checkpoint.restore(dir, second, secondOpt);
        History rest = trainer(second, secondOpt).resumeFrom(resumed.position(), resumed.history(), resumed.best())
                .checkpoint(new Checkpoint(dir, second, secondOpt, null, Map.of()), 7).build().fit(train, test);

        straight.namedState().forEach((name, t) -> assertArrayEquals(t.data(), second.namedState().get(name).data(),
                name));
        assertEquals(full.finalTest(), rest.finalTest());
        assertTrue(full.finalTest().r2() > 0.5, "the label is learnt as a number: R² " + full.finalTest().r2());
        Checkpoint.Resumed finished = Checkpoint.restore(dir, regressor.get(), new Adam(regressor.get().parameters(),
                1e-2));
        assertEquals(full.finalTest(), finished.history().finalTest(), "MAE, RMSE and R² are saved");
    }

    @Test
    void resumingIntoAnotherModelIsRefusedBeforeAnythingChanges() throws IOException {
        Sequential model = model();
        Optimizer opt = new Adam(model.parameters(), 1e-2);
        trainer(model, opt).epochs(1).checkpoint(new Checkpoint(dir, model, opt, null, Map.of()), 0).build()
                .fit(Digits.train(), null);
        Sequential other = new Sequential(new Linear(64, 10, new Rng(0)));
        Map<String, Tensor> before = other.stateDict();
        var e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.restore(dir, other, new Adam(other.parameters(), 1e-2)));
        assertTrue(e.getMessage().contains("random generators [3.generator], the model []"), e.getMessage());
        before.forEach((name, t) -> assertArrayEquals(t.data(), other.namedState().get(name).data()));
    }

    @Test
    void aDirectoryWithoutACheckpointSaysHowToMakeOne() {
        var e = assertThrows(java.nio.file.NoSuchFileException.class, () -> Checkpoint.config(dir));
        assertTrue(e.getMessage().contains("no checkpoint to resume from: train with --checkpoint"), e.getMessage());
    }

    @Test
    void checkpointsAreWrittenAtomicallyLeavingNoTemporaryFiles() throws IOException {
        Sequential model = model();
        Optimizer opt = new Adam(model.parameters(), 1e-2);
        trainer(model, opt).epochs(1).checkpoint(new Checkpoint(dir, model, opt, null, Map.of()), 7).build()
                .fit(Digits.train(), null);
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }
}
