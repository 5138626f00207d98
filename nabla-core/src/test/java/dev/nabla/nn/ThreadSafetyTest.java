package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.ops.Activation;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the README promises of threads: a model in eval mode may serve forward passes under NoGrad on many threads at
 * once, each getting exactly the single-threaded answer; a model being trained may not be shared, and two threads
 * training one are stopped with a clear error instead of mixing their gradients.
 */
class ThreadSafetyTest {
    private static final int CALLERS = 8;
    private static final long SECONDS = 30;

    @Test
    @Tag("integration")
    void eightThreadsPredictingAtOnceForThirtySecondsGetExactlyTheSingleThreadedOutputs() throws Exception {
        List<Module> models = List.of(
                trainedABit(new MlpSpec(784, List.of(128, 64), 10, Activation.RELU, Init.Scheme.DEFAULT, true)
                        .build(new Rng(1))),
                trainedABit(new CnnSpec(28, 28, List.of(8, 16), List.of(32), 10, true, 0).build(new Rng(2))),
                trainedABit(RecurrentSpec.ofImages(RecurrentSpec.Kind.LSTM, 784, List.of(32), 10, Activation.TANH,
                        Double.NaN).build(new Rng(3))));
        List<Tensor> inputs = new ArrayList<>();
        for (int batch : new int[] {1, 3, 17, 64}) {
            inputs.add(Tensor.rand(new Rng(batch), batch, 784));
        }
        float[][][] expected = new float[models.size()][inputs.size()][];
        for (int m = 0; m < models.size(); m++) {
            models.get(m).eval();
            for (int i = 0; i < inputs.size(); i++) {
                expected[m][i] = predict(models.get(m), inputs.get(i));
            }
        }

        AtomicLong predictions = new AtomicLong();
        long end = System.nanoTime() + SECONDS * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                Rng pick = new Rng(100 + c);
                callers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        int m = pick.nextInt(models.size());
                        int i = pick.nextInt(inputs.size());
                        assertArrayEquals(expected[m][i], predict(models.get(m), inputs.get(i)),
                                "model " + m + ", input " + i + " on " + Thread.currentThread().getName());
                        predictions.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : callers) {
                f.get();   // rethrows a caller's failed comparison
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.println("ThreadSafetyTest: " + CALLERS + " threads compared " + predictions.get()
                + " predictions with the single-threaded ones in " + SECONDS + " s");
        assertTrue(predictions.get() > CALLERS * 10L, predictions.get() + " predictions in " + SECONDS + " s");
    }

    @Test
    void twoThreadsTrainingOneModelAreStoppedWithAClearErrorInsteadOfMixingTheirGradients() throws Exception {
        Module model = new MlpSpec(64, List.of(256, 256), 10, Activation.RELU, Init.Scheme.DEFAULT, false)
                .build(new Rng(5));
        Optimizer optimizer = new Adam(model.parameters(), 1e-3);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ConcurrentModificationException caught = null;
        try {
            List<Future<?>> trainers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Rng rng = new Rng(10 + t);
                trainers.add(pool.submit(() -> {
                    var loss = new CrossEntropyLoss();
                    for (int step = 0; step < 20_000 && !stop.get(); step++) {
                        Tensor x = Tensor.randn(rng, 32, 64);
                        int[] y = new int[32];
                        Tensor l = loss.apply(model.forward(x), y);
                        synchronized (optimizer) {
                            optimizer.zeroGrad();   // the optimizer's own state is not what this test is about
                        }
                        try {
                            l.backward();
                        } catch (ConcurrentModificationException e) {
                            stop.set(true);
                            throw e;
                        }
                        synchronized (optimizer) {
                            optimizer.step();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : trainers) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof ConcurrentModificationException c) {
                        caught = c;
                    } else {
                        throw e;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertNotNull(caught, "two threads trained one model for 20,000 steps each without a word");
        assertTrue(caught.getMessage().startsWith("two threads are training one model at once: the backward passes "
                + "of threads 'pool-"), caught.getMessage());
        assertTrue(caught.getMessage().contains("threads may share a model only in eval mode, for forward passes "
                + "under NoGrad."), caught.getMessage());
    }

    @Test
    void backwardPassesOneAfterTheOtherOnDifferentThreadsAreFine() throws Exception {
        Module model = new Linear(4, 2, new Rng(6));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            for (int step = 0; step < 4; step++) {
                Tensor x = Tensor.randn(new Rng(step), 3, 4);
                Runnable backward = () -> dev.nabla.ops.Functional.sum(model.forward(x)).backward();
                if (step % 2 == 0) {
                    backward.run();
                } else {
                    pool.submit(backward).get();   // another thread, after this one's pass ended: no error
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertNotNull(model.parameters().get(0).grad(), "the four passes wrote the gradient");
    }

    /** A few Adam steps on random data, so that batch norm's running statistics are not the initial ones. */
    private static Module trainedABit(Module model) {
        var optimizer = new Adam(model.parameters(), 1e-3);
        var loss = new CrossEntropyLoss();
        Rng rng = new Rng(9);
        for (int step = 0; step < 3; step++) {
            Tensor l = loss.apply(model.forward(Tensor.rand(rng, 16, 784)), new int[16]);
            optimizer.zeroGrad();
            l.backward();
            optimizer.step();
        }
        return model;
    }

    private static float[] predict(Module model, Tensor x) {
        try (var scope = NoGrad.enter()) {
            return model.forward(x).toArray();
        }
    }
}
