package dev.nabla.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Digits;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The Java example of the README, verbatim, must compile and learn. */
class ReadmeExampleTest {
    @Test
    void readmeExampleLearnsTheDigits() {
        var model = new Sequential(new Linear(64, 128), new ReLU(), new Linear(128, 10));
        var lossFn = new CrossEntropyLoss();
        var optimizer = new Adam(model.parameters(), 1e-3);
        var loader = new DataLoader(Digits.train(), 64, DataLoader.shuffled(1));
        for (int epoch = 0; epoch < 20; epoch++) {
            for (Batch batch : loader) {
                Tensor loss = lossFn.apply(model.forward(batch.x()), batch.y());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
            }
        }
        Evaluation test = Trainer.builder(model, optimizer).build().evaluate(Digits.test());
        assertTrue(test.accuracy() > 0.93, "test accuracy " + test.accuracy());
    }
}
