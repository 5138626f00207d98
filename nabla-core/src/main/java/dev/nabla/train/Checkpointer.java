package dev.nabla.train;

import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Saves a run's progress when {@link Trainer} asks: the model and optimizer it holds, and the position and history
 * it is given. {@code dev.nabla.io.Checkpoint} writes them to a directory.
 */
@FunctionalInterface
public interface Checkpointer {
    /**
     * Saves the run as it stands at {@code position}, with its history so far and, with early stopping, the best
     * epoch's weights (or null).
     */
    void save(TrainingPosition position, History history, Map<String, Tensor> best) throws IOException;

    /** {@link #save}, with a failure to write as an unchecked exception naming the step. */
    default void saveOrFail(TrainingPosition position, History history, Map<String, Tensor> best) {
        try {
            save(position, history, best);
        } catch (IOException e) {
            throw new UncheckedIOException("the checkpoint at step " + position.globalStep() + " could not be "
                    + "written: " + e.getMessage(), e);
        }
    }
}
