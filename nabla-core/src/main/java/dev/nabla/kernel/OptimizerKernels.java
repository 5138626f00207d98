package dev.nabla.kernel;

/**
 * The per-element updates of the optimizers, each fused into one pass over a parameter's buffers (parameter,
 * gradient, state) and split over the {@link Parallel} threads: one read and one write of each buffer per step,
 * where an update written as whole-tensor operations (as PyTorch's single-tensor path runs it) reads and writes
 * the buffers once per operation.
 *
 * <p>The rules and their PyTorch correspondence are documented in {@code dev.nabla.optim}; here each element goes
 * through the same float32 operations in the same order on the vector and the scalar path (a fused multiply-add
 * is exactly rounded on both), so the two give the same bits, whatever the thread count.
 */
public final class OptimizerKernels {
    /** Scalar operations per element, for the split over threads. */
    private static final int SGD_WORK = 8;
    private static final int ADAM_WORK = 16;
    private static final int RMSPROP_WORK = 16;
    private static final int ADAGRAD_WORK = 12;

    private OptimizerKernels() {
    }

    /**
     * SGD on one parameter: {@code g = ∇ (+ λ·θ)}; with momentum {@code b = g} on the first step, else
     * {@code b = μ·b + (1 − τ)·g}, then {@code g = g + μ·b} (Nesterov) or {@code g = b}; finally {@code θ = θ − γ·g}.
     * Writes p and buf.
     *
     * @param buf        the momentum buffer, or null for plain SGD (μ = 0)
     * @param first      the parameter's first step: the buffer starts at g
     * @param negLr      −γ
     * @param decay      λ, 0 for none
     * @param momentum   μ
     * @param dampen     1 − τ
     */
    public static void sgd(float[] p, float[] grad, float[] buf, boolean first, float negLr, float decay,
                           float momentum, float dampen, boolean nesterov) {
        Parallel.forRange(p.length, (long) SGD_WORK * p.length, (from, to) -> {
            int i = Simd.VECTORIZED
                    ? VectorOptimizerKernels.sgd(p, grad, buf, first, negLr, decay, momentum, dampen, nesterov, from, to)
                    : from;
            for (; i < to; i++) {
                float g = decay != 0f ? Math.fma(decay, p[i], grad[i]) : grad[i];
                if (buf != null) {
                    float b = first ? g : Math.fma(dampen, g, buf[i] * momentum);
                    buf[i] = b;
                    g = nesterov ? Math.fma(momentum, b, g) : b;
                }
                p[i] = Math.fma(negLr, g, p[i]);
            }
        });
    }

    /**
     * The scalars of one Adam step, each rounded to float32 once, as PyTorch passes them to its kernels.
     *
     * @param shrink        1 − γ·λ for AdamW's decoupled decay, 1 for none
     * @param l2            λ added to the gradient (Adam's weight decay), 0 for none
     * @param beta1         β₁
     * @param oneMinusBeta1 1 − β₁, computed in double then rounded
     * @param beta2         β₂
     * @param oneMinusBeta2 1 − β₂, computed in double then rounded
     * @param negStep       −α = −γ / (1 − β₁ᵗ)
     * @param bc2Sqrt       √(1 − β₂ᵗ)
     * @param eps           ε
     */
    public record AdamStep(float shrink, float l2, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                           float negStep, float bc2Sqrt, float eps) {
    }

    /**
     * Adam on one parameter: {@code θ' = θ·shrink}; {@code g = ∇ (+ λ·θ')}; {@code m = β₁·m + (1 − β₁)·g};
     * {@code v = β₂·v + (1 − β₂)·g²}; with AMSGrad {@code v̂ = max(v̂, v)}, else {@code v̂ = v};
     * {@code θ = θ' + (−α·m) / (√v̂ / √(1 − β₂ᵗ) + ε)}. Writes p, m, v and vMax.
     *
     * @param vMax the running maximum of v (AMSGrad), or null
     */
    public static void adam(float[] p, float[] grad, float[] m, float[] v, float[] vMax, AdamStep s) {
        Parallel.forRange(p.length, (long) ADAM_WORK * p.length, (from, to) -> {
            int i = Simd.VECTORIZED ? VectorOptimizerKernels.adam(p, grad, m, v, vMax, s, from, to) : from;
            float shrink = s.shrink();
            float l2 = s.l2();
            float beta1 = s.beta1();
            float oneMinusB1 = s.oneMinusBeta1();
            float beta2 = s.beta2();
            float oneMinusB2 = s.oneMinusBeta2();
            float negStep = s.negStep();
            float bc2Sqrt = s.bc2Sqrt();
            float eps = s.eps();
            for (; i < to; i++) {
                float theta = shrink != 1f ? p[i] * shrink : p[i];
                float g = l2 != 0f ? Math.fma(l2, theta, grad[i]) : grad[i];
                float mi = Math.fma(oneMinusB1, g, m[i] * beta1);
                float vi = Math.fma(oneMinusB2 * g, g, v[i] * beta2);
                m[i] = mi;
                v[i] = vi;
                float vHat = vi;
                if (vMax != null) {
                    vHat = Math.max(vMax[i], vi);
                    vMax[i] = vHat;
                }
                float denom = (float) Math.sqrt(vHat) / bc2Sqrt + eps;
                p[i] = theta + negStep * mi / denom;
            }
        });
    }

    /**
     * RMSprop on one parameter (plain loops): {@code g = ∇ (+ λ·θ)}; {@code s = α·s + (1 − α)·g²}; centered,
     * {@code a = α·a + (1 − α)·g} and {@code d = √(s − a²) + ε}, else {@code d = √s + ε}; with momentum
     * {@code b = μ·b + g/d} and {@code θ = θ − γ·b}, else {@code θ = θ − γ·g/d}. Writes p and the state.
     *
     * @param avg      the centered running mean of g, or null when not centered
     * @param buf      the momentum buffer, or null without momentum
     */
    public static void rmsprop(float[] p, float[] grad, float[] square, float[] avg, float[] buf, float negLr,
                               float decay, float alpha, float oneMinusAlpha, float eps, float momentum) {
        Parallel.forRange(p.length, (long) RMSPROP_WORK * p.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = decay != 0f ? Math.fma(decay, p[i], grad[i]) : grad[i];
                float s = Math.fma(oneMinusAlpha * g, g, square[i] * alpha);
                square[i] = s;
                float d;
                if (avg != null) {
                    float a = Math.fma(oneMinusAlpha, g, avg[i] * alpha);
                    avg[i] = a;
                    d = (float) Math.sqrt(Math.fma(-a, a, s)) + eps;
                } else {
                    d = (float) Math.sqrt(s) + eps;
                }
                if (buf != null) {
                    float b = buf[i] * momentum + g / d;
                    buf[i] = b;
                    p[i] = Math.fma(negLr, b, p[i]);
                } else {
                    p[i] = p[i] + negLr * g / d;
                }
            }
        });
    }

    /**
     * Adagrad on one parameter (plain loops): {@code g = ∇ (+ λ·θ)}; {@code s = s + g²};
     * {@code θ = θ − γ_t·g/(√s + ε)}, γ_t the step's decayed rate. Writes p and sum.
     */
    public static void adagrad(float[] p, float[] grad, float[] sum, float negLr, float decay, float eps) {
        Parallel.forRange(p.length, (long) ADAGRAD_WORK * p.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float g = decay != 0f ? Math.fma(decay, p[i], grad[i]) : grad[i];
                float s = Math.fma(g, g, sum[i]);
                sum[i] = s;
                p[i] = p[i] + negLr * g / ((float) Math.sqrt(s) + eps);
            }
        });
    }
}
