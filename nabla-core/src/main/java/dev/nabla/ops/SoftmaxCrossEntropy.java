package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.SoftmaxRows;
import dev.nabla.tensor.Tensor;

/**
 * Mean cross-entropy of logits {@code z [N, C]} against integer class targets {@code t [N]}:
 * {@code L = −(1/N) Σ_n log softmax(z_n)[t_n]}, computed from log-softmax (never {@code log(softmax)}).
 * <p>Backward, fused: with p = softmax(z_n), ∂(−log p_t)/∂z_j = p_j − δ_jt, so
 * {@code dz = g · (p − onehot(t)) / N}. Fused because composing log-softmax and a gather would cost two
 * passes and an N×C one-hot; this needs the saved probabilities only.
 */
final class SoftmaxCrossEntropy extends Function {
    private final int[] targets;
    private Tensor probabilities;

    SoftmaxCrossEntropy(int[] targets) {
        this.targets = targets;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor z = in[0];
        if (z.rank() != 2) {
            throw new IllegalArgumentException("cross-entropy expects logits [N, C], got " + z.shape()
                    + ": flatten the extra dimensions first");
        }
        int n = z.dim(0);
        int c = z.dim(1);
        if (targets.length != n) {
            throw new IllegalArgumentException("cross-entropy got " + n + " rows of logits " + z.shape() + " but "
                    + targets.length + " targets: give one class index per row");
        }
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) {
                throw new IllegalArgumentException("cross-entropy target " + targets[i] + " at row " + i
                        + " is outside the class range [0, " + (c - 1) + "] of logits " + z.shape()
                        + ": labels must be class indices 0.." + (c - 1));
            }
        }
        Tensor logp = Tensor.zeros(z.shape());
        SoftmaxRows.logSoftmax(z.data(), c, logp.data());
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss -= logp.data()[i * c + targets[i]];
        }
        probabilities = logp;
        float[] p = probabilities.data();
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.exp(p[i]);
        }
        return Tensor.scalar((float) (loss / n));
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = probabilities.dim(0);
        int c = probabilities.dim(1);
        float scale = g.item() / n;
        Tensor dz = Tensor.zeros(probabilities.shape());
        float[] p = probabilities.data();
        float[] d = dz.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                d[i * c + j] = scale * (p[i * c + j] - (j == targets[i] ? 1f : 0f));
            }
        }
        return new Tensor[] {dz};
    }
}
