package dev.nabla.loss;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/**
 * Cross-entropy from logits, averaged over the batch: {@code L = −(1/N) Σ_n log softmax(z_n)[t_n]}, as PyTorch's
 * {@code nn.CrossEntropyLoss()} with its defaults. Takes raw scores (logits), not probabilities: the softmax is
 * part of the loss, which keeps it stable and makes its gradient simply {@code (softmax(z) − onehot(t)) / N}.
 */
public final class CrossEntropyLoss implements ClassificationLoss {
    @Override
    public Tensor apply(Tensor logits, int[] targets) {
        return Functional.crossEntropy(logits, targets);
    }
}
