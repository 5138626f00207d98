package dev.nabla.cli.bench;

import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Module;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One full training step on a fixed batch — zero the gradients, forward, cross-entropy, backward, optimizer step —
 * timed as the reference scripts time theirs: warm-up steps, then blocks of steps, one figure per block.
 */
final class TrainingStep {
    private final Module model;
    private final Optimizer optimizer;
    private final Tensor x;
    private final int[] y;
    private final CrossEntropyLoss lossFn = new CrossEntropyLoss();

    TrainingStep(Module model, Optimizer optimizer, Tensor x, int[] y) {
        this.model = model;
        this.optimizer = optimizer;
        this.x = x;
        this.y = y;
    }

    float run() {
        optimizer.zeroGrad();
        Tensor loss = lossFn.apply(model.forward(x), y);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /**
     * Seconds of untimed steps at the least, whatever the warm-up count: the JIT compiles the vector kernels only
     * after many calls, and they run many times slower until it has (a CPython process has no such phase).
     */
    static final double MIN_WARMUP_SECONDS = 1.0;

    /**
     * Milliseconds per step, one figure per block, after {@code warmup} untimed steps and at least
     * {@link #MIN_WARMUP_SECONDS} of them.
     */
    List<Double> msPerStep(int warmup, int blocks, int stepsPerBlock) {
        long start = System.nanoTime();
        for (int i = 0; i < warmup || System.nanoTime() - start < MIN_WARMUP_SECONDS * 1e9; i++) {
            run();
        }
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
