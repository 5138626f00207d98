package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.data.Standardization;
import dev.nabla.io.Checkpoint;
import dev.nabla.io.ModelDescription;
import dev.nabla.io.ModelFile;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandardizeOptionTest {
    private static final RecurrentSpec LSTM = RecurrentSpec.ofImages(RecurrentSpec.Kind.LSTM, 64, List.of(8), 10,
            Activation.TANH, Double.NaN);

    @Test
    void aRecurrentModelGetsTheTrainingPixelsFiguresUnlessToldNot() throws Exception {
        Dataset train = Digits.train();
        Standardization all = Standardization.ofAllFeatures(train);
        RecurrentSpec scaled = (RecurrentSpec) new StandardizeOption().applyTo(LSTM, train, null);
        assertEquals(all.mean()[0], scaled.inputMean());
        assertEquals(all.std(0), scaled.inputStd());

        StandardizeOption off = new StandardizeOption();
        off.given = false;
        assertSame(LSTM, off.applyTo(LSTM, train, null));
        MlpSpec mlp = new MlpSpec(64, List.of(8), 10, Activation.RELU, Init.Scheme.DEFAULT);
        assertSame(mlp, new StandardizeOption().applyTo(mlp, train, null), "an mlp takes its inputs as they are");
        StandardizeOption on = new StandardizeOption();
        on.given = true;
        var e = assertThrows(IllegalArgumentException.class, () -> on.applyTo(mlp, train, null));
        assertTrue(e.getMessage().contains("drop --standardize"), e.getMessage());
    }

    /** A run resumed from a checkpoint keeps the scaling it started with: none, for one saved before the option. */
    @Test
    void aResumedRunKeepsTheScalingOfItsCheckpoint(@TempDir Path dir) throws Exception {
        ModelFile.save(dir.resolve(Checkpoint.MODEL), LSTM.build(new Rng(0)), new ModelDescription(LSTM, 64,
                List.of(8, 8), List.of(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "digits"));
        RecurrentSpec resumed = (RecurrentSpec) new StandardizeOption().applyTo(LSTM, Digits.train(), dir);
        assertFalse(resumed.scalesInputs());

        RecurrentSpec started = LSTM.withInputScaling(0.5, 0.25);
        ModelFile.save(dir.resolve(Checkpoint.MODEL), started.build(new Rng(0)), new ModelDescription(started, 64,
                List.of(8, 8), List.of(), List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "digits"));
        assertEquals(started, new StandardizeOption().applyTo(LSTM, Digits.train(), dir));
    }
}
