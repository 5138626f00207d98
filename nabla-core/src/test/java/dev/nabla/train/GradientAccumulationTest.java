package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.Digits;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.ops.Functional;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class GradientAccumulationTest {
    private static Sequential model() {
        Rng rng = new Rng(5);
        return new Sequential(new Linear(64, 16, rng), new ReLU(), new Linear(16, 10, rng));
    }

    @Test
    void accumulatingIsTheLoopAUserWritesWithEachLossDividedByTheGroupSize() {
        Dataset data = Digits.train().subset("part", java.util.stream.IntStream.range(0, 200).toArray());
        Sequential trained = model();
        Trainer.builder(trained, new SGD(trained.parameters(), 0.1)).epochs(1).batchSize(30).seed(2).accumulate(3)
                .build().fit(data, null);

        Sequential byHand = model();
        SGD opt = new SGD(byHand.parameters(), 0.1);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        Iterator<Batch> batches = new DataLoader(data, 30, DataLoader.shuffled(2)).iterator();
        int micro = 0;
        while (batches.hasNext()) {
            Batch b = batches.next();
            if (micro == 0) {
                opt.zeroGrad();
            }
            Functional.mul(lossFn.apply(byHand.call(b.x()), b.y()), Tensor.scalar(1f / 3)).backward();
            if (++micro == 3 || !batches.hasNext()) {
                opt.step();
                micro = 0;
            }
        }
        trained.namedState().forEach((name, t) -> assertArrayEquals(byHand.namedState().get(name).data(), t.data(),
                name));
    }

    @Test
    void twoHalfBatchesMakeTheStepOfTheWholeOne() {
        Dataset data = Digits.train().subset("part", java.util.stream.IntStream.range(0, 64).toArray());
        Sequential accumulated = model();
        Trainer.builder(accumulated, new SGD(accumulated.parameters(), 0.5)).epochs(1).batchSize(32).accumulate(2)
                .build().fit(data, null);
        Sequential whole = model();
        Trainer.builder(whole, new SGD(whole.parameters(), 0.5)).epochs(1).batchSize(64).build().fit(data, null);
        whole.namedState().forEach((name, t) -> {
            float[] a = accumulated.namedState().get(name).data();
            for (int i = 0; i < a.length; i++) {
                assertEquals(t.data()[i], a[i], 1e-6, name + "[" + i + "]");
            }
        });
    }

    @Test
    void refusesAGroupOfNoBatches() {
        Sequential m = model();
        assertThrows(IllegalArgumentException.class, () -> Trainer.builder(m, new SGD(m.parameters(), 0.1))
                .accumulate(0));
    }
}
