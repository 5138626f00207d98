package dev.nabla.cli.bench;

import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.StepMemory;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One full training step on a fixed batch — zero the gradients, forward, cross-entropy, backward, optimizer step —
 * timed as the reference scripts time theirs: warm-up steps, then blocks of steps, one figure per block. Each step
 * runs in a {@link StepMemory}, as the trainer's do.
 */
final class TrainingStep {
    private final Module model;
    private final Optimizer optimizer;
    private final Tensor x;
    private final int[] y;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();
    private final StepMemory memory = new StepMemory();

    TrainingStep(Module model, Optimizer optimizer, Tensor x, int[] y) {
        this.model = model;
        this.optimizer = optimizer;
        this.x = x;
        this.y = y;
    }

    float run() {
        try (StepMemory step = memory.enter()) {
            optimizer.zeroGrad();
            Tensor loss = lossFn.apply(model.forward(x), y);
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    /** Seconds of warm-up at the least, whatever the count: the first steps run before the JIT has compiled much. */
    static final double MIN_WARMUP_SECONDS = 1.0;

    /** Seconds the last {@link #msPerStep} spent warming up. */
    double warmupSeconds;

    /**
     * Milliseconds per step, one figure per block, after {@code warmup} untimed steps at the least and until the
     * JIT is done with the step ({@link Warmup}).
     */
    List<Double> msPerStep(int warmup, int blocks, int stepsPerBlock) {
        warmupSeconds = Warmup.run(this::run, warmup, MIN_WARMUP_SECONDS);
        List<Double> ms = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < stepsPerBlock; i++) {
                run();
            }
            ms.add((System.nanoTime() - t0) / 1e6 / stepsPerBlock);
        }
        return ms;
    }
}
