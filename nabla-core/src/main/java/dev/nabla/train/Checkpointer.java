package dev.nabla.train;

import java.io.IOException;

/**
 * Saves a run's progress when {@link Trainer} asks: the model and optimizer it holds, and the position and history
 * it is given. {@code dev.nabla.io.Checkpoint} writes them to a directory.
 */
@FunctionalInterface
public interface Checkpointer {
    /** Saves the run as it stands at {@code position}, with its history so far. */
    void save(TrainingPosition position, History history) throws IOException;
}
