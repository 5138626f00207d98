package com.example.digits;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Digits;
import dev.nabla.kernel.Simd;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Linear;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Tensor;

/**
 * Trains a 64-128-10 ReLU network on the handwritten digits bundled with Nabla and prints its accuracy on the test
 * images: the training loop of Nabla's README, in a project that uses Nabla as a library.
 *
 * <p>It ends with status 1 when the test accuracy is below {@link #MIN_ACCURACY}: this network reaches about 0.97,
 * so a lower figure means the library no longer trains as documented, and the build that runs it should fail.
 */
public final class DigitsMlp {
    /** Well below the 0.97 the network reaches, well above the 0.1 of chance. */
    static final double MIN_ACCURACY = 0.9;

    private DigitsMlp() {
    }

    public static void main(String[] args) {
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

        // Evaluation: batch norm and dropout (none here) switch to inference, and no graph is recorded.
        model.eval();
        int correct = 0;
        try (var scope = NoGrad.enter()) {
            for (Batch batch : new DataLoader(Digits.test(), 1000)) {
                int[] predicted = model.forward(batch.x()).argmax(-1);
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == batch.y()[i]) {
                        correct++;
                    }
                }
            }
        }
        double accuracy = (double) correct / Digits.test().size();
        System.out.printf("kernels: %s%n", Simd.describe());
        System.out.printf("test accuracy: %.3f (%d of %d digits)%n", accuracy, correct, Digits.test().size());
        if (accuracy < MIN_ACCURACY) {
            System.err.printf("test accuracy %.3f is below %.2f: training did not work%n", accuracy, MIN_ACCURACY);
            System.exit(1);
        }
    }
}
