package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities x ({@code [N, C]} or {@code [N, C, d1, …]}, classes along
 * dimension 1) at class-index targets, as PyTorch's {@code nll_loss}: {@code L_p = −w_t · x[p, t]} for the
 * target t of position p, 0 where t is {@code ignoreIndex}; {@code MEAN} divides the sum by Σ w_t over the
 * counted positions. With x = log_softmax(z) this is exactly cross-entropy.
 * <p>Backward: L_p depends on one entry only, so {@code dx[p, t] = −w_t · g_p} and every other entry is 0.
 */
final class NllLoss extends Function {
    private final int[] targets;
    private final Tensor weight;
    private final int ignoreIndex;
    private final Reduction reduction;
    private Axis axis;
    private Shape shape;
    private double divisor;

    NllLoss(int[] targets, Tensor weight, int ignoreIndex, Reduction reduction) {
        this.targets = targets;
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        check(x);
        axis = Axis.of(x.shape(), 1);
        shape = x.shape();
        int positions = axis.outer() * axis.inner();
        float[] loss = new float[positions];
        double weightSum = 0;
        for (int p = 0; p < positions; p++) {
            int t = targets[p];
            if (t != ignoreIndex) {
                float w = weight == null ? 1f : weight.data()[t];
                loss[p] = -w * x.data()[index(p, t)];
                weightSum += w;
            }
        }
        divisor = weightSum;
        return LossChecks.reduce(loss, axis.without(x.shape()), reduction, divisor);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.zeros(shape);
        int positions = axis.outer() * axis.inner();
        for (int p = 0; p < positions; p++) {
            int t = targets[p];
            if (t != ignoreIndex) {
                float w = weight == null ? 1f : weight.data()[t];
                dx.data()[index(p, t)] = -w * LossChecks.upstream(g, p, reduction, divisor);
            }
        }
        return new Tensor[] {dx};
    }

    private int index(int p, int c) {
        int n = p / axis.inner();
        int j = p % axis.inner();
        return (n * axis.size() + c) * axis.inner() + j;
    }

    private void check(Tensor x) {
        String op = "nll_loss";
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + " expects log-probabilities [N, C] or [N, C, d1, …], got " + x.shape());
        }
        int classes = x.dim(1);
        LossChecks.classWeights(op, weight, classes);
        LossChecks.noNaN(op, "input", x);
        int positions = x.size() / classes;
        if (targets.length != positions) {
            throw new IllegalArgumentException(op + " got input " + x.shape() + " but " + targets.length
                    + " targets: give one class index per position, " + positions + " in all");
        }
        for (int p = 0; p < positions; p++) {
            if (targets[p] != ignoreIndex && (targets[p] < 0 || targets[p] >= classes)) {
                throw new IllegalArgumentException(op + " target " + targets[p] + " at "
                        + LossChecks.targetPosition(x.shape(), p) + " is outside the class range [0, " + (classes - 1)
                        + "] of input " + x.shape() + ": labels must be class indices 0.." + (classes - 1)
                        + (ignoreIndex < 0 || ignoreIndex >= classes ? " (or the ignore index " + ignoreIndex + ")" : ""));
            }
        }
    }
}
