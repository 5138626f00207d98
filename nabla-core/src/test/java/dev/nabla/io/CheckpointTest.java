package dev.nabla.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Digits;
import dev.nabla.kernel.Parallel;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Dropout;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
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
        assertThrows(Crash.class, () -> trainer(first, firstOpt).checkpoint((position, history) -> {
            checkpoint.save(position, history);
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
        History rest = trainer(second, secondOpt).resumeFrom(resumed.position(), resumed.history())
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
