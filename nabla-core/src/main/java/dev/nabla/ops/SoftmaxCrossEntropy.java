package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.kernel.SoftmaxRows;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * Cross-entropy from logits, fused with its softmax, with every option of PyTorch's {@code cross_entropy}.
 * Logits z: {@code [N, C]} or {@code [N, C, d1, …]} (classes along dimension 1). Targets: class indices, one per
 * position ({@code N·d1·…} of them, row-major over {@code [N, d1, …]}), or probabilities of z's shape.
 *
 * <p><b>Forward.</b> With log-probabilities ℓ = log_softmax(z) over the classes (never log(softmax(z))), class
 * weights w (all 1 when absent) and label smoothing ε, each position gets a target distribution q and the loss
 * {@code L_p = −Σ_c q_c ℓ_c}:
 * <ul>
 *   <li>class index t: {@code q_c = (1 − ε)·w_t·[c = t] + (ε/C)·w_c}; a position whose target is
 *       {@code ignoreIndex} gets q = 0;</li>
 *   <li>probabilities t: {@code q_c = w_c·((1 − ε)·t_c + ε/C)}.</li>
 * </ul>
 * {@code MEAN} divides the sum by the summed weights w_t of the counted index targets (by the number of
 * positions for probability targets), {@code SUM} sums, {@code NONE} returns L_p in the shape {@code [N, d1, …]}.
 * A term with q_c = 0 counts as 0 even when ℓ_c = −∞ (a masked class).
 *
 * <p><b>Backward.</b> ∂ℓ_c/∂z_j = δ_cj − p_j with p = softmax(z), so
 * {@code ∂L_p/∂z_j = −Σ_c q_c (δ_cj − p_j) = p_j·Σ_c q_c − q_j}, times the upstream gradient of L_p (g, g/W
 * for the mean). For one-hot targets without weights or smoothing this is {@code (p − onehot)/N}: the y − t of
 * the textbooks. Fused because it needs only p, saved by the forward pass, and no N×C one-hot or C×C Jacobian.
 * For probability targets, {@code ∂L_p/∂t_c = −w_c (1 − ε) ℓ_c}.
 */
final class SoftmaxCrossEntropy extends Function {
    private final int[] targets;            // class indices, or null for probability targets
    private final Tensor weight;            // [C] or null
    private final int ignoreIndex;
    private final float smoothing;
    private final Reduction reduction;
    private Axis axis;
    private Tensor logp;
    private Tensor probs;                   // probability targets (input 1), or null
    private double divisor;

    SoftmaxCrossEntropy(int[] targets, Tensor weight, int ignoreIndex, float smoothing, Reduction reduction) {
        this.targets = targets;
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.smoothing = smoothing;
        this.reduction = reduction;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor z = in[0];
        probs = in.length > 1 ? in[1] : null;
        check(z);
        axis = Axis.of(z.shape(), 1);
        int classes = axis.size();
        int positions = axis.outer() * axis.inner();
        logp = Tensor.zeros(z.shape());
        SoftmaxRows.logSoftmax(z.data(), axis.outer(), classes, axis.inner(), logp.data());
        float[] loss = new float[positions];
        double weightSum = 0;
        float[] l = logp.data();
        for (int p = 0; p < positions; p++) {
            int base = base(p);
            double sum = 0;
            // without smoothing an index target's q is w_t at the target and 0 elsewhere: one term, not C
            boolean oneTerm = probs == null && smoothing == 0f;
            int first = oneTerm ? Math.max(targets[p], 0) : 0;
            int last = oneTerm ? Math.min(first + 1, classes) : classes;
            for (int c = first; c < last; c++) {
                float q = targetWeight(p, c);
                if (q != 0f) {
                    sum -= (double) q * l[base + c * axis.inner()];
                }
            }
            loss[p] = (float) sum;
            weightSum += countedWeight(p);
        }
        divisor = probs != null ? positions : weightSum;
        return LossChecks.reduce(loss, axis.without(z.shape()), reduction, divisor);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int classes = axis.size();
        int positions = axis.outer() * axis.inner();
        float[] l = logp.data();
        Tensor dz = needsInputGrad(0) ? Tensor.zeros(logp.shape()) : null;
        Tensor dt = probs != null && needsInputGrad(1) ? Tensor.zeros(probs.shape()) : null;
        if (dz != null && probs == null && axis.inner() == 1) {
            indexTargetsGradient(g, dz.data());
            return new Tensor[] {dz};
        }
        for (int p = 0; p < positions; p++) {
            if (probs == null && targets[p] == ignoreIndex) {
                // NOTE: skipped, not multiplied by 0: when every target is ignored the mean's divisor is 0, s is
                // ±∞ or NaN, and 0·s would be NaN where the gradient is 0 (as in PyTorch).
                continue;
            }
            float s = LossChecks.upstream(g, p, reduction, divisor);
            int base = base(p);
            if (dz != null) {
                float total = 0f;
                for (int c = 0; c < classes; c++) {
                    total += targetWeight(p, c);
                }
                for (int c = 0; c < classes; c++) {
                    int k = base + c * axis.inner();
                    float prob = (float) Math.exp(l[k]);
                    dz.data()[k] = s * (prob * total - targetWeight(p, c));
                }
            }
            if (dt != null) {
                for (int c = 0; c < classes; c++) {
                    int k = base + c * axis.inner();
                    dt.data()[k] = -s * classWeight(c) * (1f - smoothing) * l[k];
                }
            }
        }
        return probs == null ? new Tensor[] {dz} : new Tensor[] {dz, dt};
    }

    /**
     * The input gradient {@code dz = s·(p·Σq − q)} for class-index targets along contiguous rows ([N, C]), written
     * row by row: q is (1 − ε)·w_t at the target plus the smoothing ε/C·w_c at every class, so
     * {@code Σq = (1 − ε)·w_t + Σ_c ε/C·w_c}; the row {@code s·Σq·p} comes from the saved log-probabilities in one
     * vectorised pass ({@link Elementwise#scaledExp}), then the q terms are subtracted. Same maths as the general
     * loop of {@link #backward}, without per-class calls or {@code Math.exp}, which made that loop about
     * 8 ns per logit.
     */
    private void indexTargetsGradient(Tensor g, float[] dz) {
        int classes = axis.size();
        float[] l = logp.data();
        float smoothTotal = 0f;
        for (int c = 0; c < classes; c++) {
            smoothTotal += smoothing == 0f ? 0f : smoothing / classes * classWeight(c);
        }
        for (int p = 0; p < targets.length; p++) {
            int t = targets[p];
            if (t == ignoreIndex) {
                continue;   // skipped, not multiplied by 0: see the NOTE in backward
            }
            float s = LossChecks.upstream(g, p, reduction, divisor);
            float hit = (1f - smoothing) * classWeight(t);
            int base = p * classes;
            Elementwise.scaledExp(l, base, base + classes, s * (smoothTotal + hit), dz);
            if (smoothing != 0f) {
                for (int c = 0; c < classes; c++) {
                    dz[base + c] -= s * (smoothing / classes * classWeight(c));
                }
            }
            dz[base + t] -= s * hit;
        }
    }

    /** Flat index of class 0 at position p (p runs over [N, d1, …] row-major). */
    private int base(int p) {
        int n = p / axis.inner();
        int j = p % axis.inner();
        return n * axis.size() * axis.inner() + j;
    }

    private float classWeight(int c) {
        return weight == null ? 1f : weight.data()[c];
    }

    /** q_c of position p before the reduction's scale (see the class javadoc). */
    private float targetWeight(int p, int c) {
        int classes = axis.size();
        if (probs != null) {
            return classWeight(c) * ((1f - smoothing) * probs.data()[base(p) + c * axis.inner()] + smoothing / classes);
        }
        int t = targets[p];
        if (t == ignoreIndex) {
            return 0f;
        }
        float q = smoothing == 0f ? 0f : smoothing / classes * classWeight(c);
        return c == t ? q + (1f - smoothing) * classWeight(t) : q;
    }

    /** The weight position p adds to the weighted mean's divisor: w_t, or 0 when ignored. */
    private float countedWeight(int p) {
        return probs != null || targets[p] == ignoreIndex ? 0f : classWeight(targets[p]);
    }

    private void check(Tensor z) {
        String op = "cross_entropy";
        if (z.rank() < 2) {
            throw new IllegalArgumentException(op + " expects logits [N, C] or [N, C, d1, …], got " + z.shape()
                    + ": for a single sample use reshape(1, -1)");
        }
        int classes = z.dim(1);
        LossChecks.classWeights(op, weight, classes);
        LossChecks.noNaN(op, "input", z);
        Checks.unitClosed(op + ": label smoothing", smoothing);
        if (probs != null) {
            LossChecks.sameShape(op, z, probs);
            LossChecks.noNaN(op, "target", probs);
            return;
        }
        int positions = z.size() / classes;
        if (targets.length != positions) {
            Shape expected = Axis.of(z.shape(), 1).without(z.shape());
            throw new IllegalArgumentException(op + " got logits " + z.shape() + " but " + targets.length
                    + " targets: give one class index per " + (z.rank() == 2 ? "row" : "position of " + expected)
                    + ", " + positions + " in all");
        }
        for (int p = 0; p < positions; p++) {
            int t = targets[p];
            if (t != ignoreIndex && (t < 0 || t >= classes)) {
                throw new IllegalArgumentException(op + " target " + t + " at " + LossChecks.targetPosition(z.shape(), p)
                        + " is outside the class range [0, " + (classes - 1) + "] of logits "
                        + z.shape() + ": labels must be class indices 0.." + (classes - 1)
                        + (ignoreIndex < 0 || ignoreIndex >= classes ? " (or the ignore index " + ignoreIndex + ")" : ""));
            }
        }
    }
}
