package dev.nabla.optim;

import static dev.nabla.ops.Checks.nonNegative;
import static dev.nabla.ops.Checks.positive;
import static dev.nabla.ops.Checks.unitOpen;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with L2 weight decay added to the gradient and optional AMSGrad: PyTorch's
 * {@code torch.optim.Adam} (1.13, single-tensor path), rule for rule. For each parameter θ with gradient ∇ at
 * its step t (counted per parameter, from 1), with γ = lr, λ = weightDecay, m = v = v_max = 0 at the start:
 * <pre>
 * g ← ∇
 * if λ ≠ 0:   g ← g + λ·θ
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * if amsgrad: v_max ← max(v_max, v);  u ← v_max
 * else:       u ← v
 * θ ← θ − γ/(1 − β₁ᵗ) · m / (√u / √(1 − β₂ᵗ) + ε)
 * </pre>
 * that is θ ← θ − γ·m̂/(√v̂ + ε) with the bias-corrected m̂ = m/(1 − β₁ᵗ), v̂ = u/(1 − β₂ᵗ).
 * Defaults: {@link #DEFAULT_LR} (for {@link #Adam(List)}), {@link #DEFAULT_BETA1}, {@link #DEFAULT_BETA2},
 * {@link #DEFAULT_EPS}, {@link #DEFAULT_WEIGHT_DECAY}, {@link #DEFAULT_AMSGRAD}, all as in PyTorch.
 *
 * <p><b>Note:</b> with weight decay this is L2 regularisation, which the adaptive denominator rescales per
 * element, so large-gradient weights are decayed less. {@link AdamW} decouples the decay and is usually the one
 * to use with weight decay.
 * <p><b>Note:</b> PyTorch's documentation writes AMSGrad as the maximum of the bias-corrected v̂; its code, and
 * this class, keep the maximum of the raw v and divide by the current √(1 − β₂ᵗ).
 * <p><b>Note:</b> ε is added to √v̂, after the bias correction, not to √v.
 *
 * <p>Arithmetic is float32 per element in PyTorch's order; the bias corrections and the step size are computed
 * in double and rounded once per step, as PyTorch does, so results match PyTorch's to the last bit or so.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3, Adam.Options.defaults().withAmsgrad(true));
 * }</pre>
 */
public final class Adam extends AdamBase {
    /** Learning rate γ used by {@link #Adam(List)}: 1e-3 (PyTorch's default). */
    public static final double DEFAULT_LR = 1e-3;
    /** β₁, the decay of the first-moment average m: 0.9 (PyTorch's default). */
    public static final double DEFAULT_BETA1 = 0.9;
    /** β₂, the decay of the second-moment average v: 0.999 (PyTorch's default). */
    public static final double DEFAULT_BETA2 = 0.999;
    /** ε, added to the denominator √v̂: 1e-8 (PyTorch's default). */
    public static final double DEFAULT_EPS = 1e-8;
    /** L2 weight decay λ, added to the gradient: 0 (PyTorch's default for Adam). */
    public static final double DEFAULT_WEIGHT_DECAY = 0;
    /** AMSGrad: off (PyTorch's default). */
    public static final boolean DEFAULT_AMSGRAD = false;

    /**
     * The optional hyper-parameters of {@link Adam}; start from {@link #defaults()} and change what you need with
     * the {@code with…} methods.
     *
     * @param beta1       β₁, in {@code [0, 1)}
     * @param beta2       β₂, in {@code [0, 1)}
     * @param eps         ε, finite and {@code > 0}
     * @param weightDecay λ, finite and {@code >= 0}
     * @param amsgrad     keep the running maximum of v (Reddi et al., 2018)
     */
    public record Options(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        /** @throws IllegalArgumentException naming the value and its valid range */
        public Options {
            unitOpen("beta1", beta1);
            unitOpen("beta2", beta2);
            positive("eps", eps);
            nonNegative("weightDecay", weightDecay);
        }

        /** All options at their defaults. */
        public static Options defaults() {
            return new Options(DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, DEFAULT_WEIGHT_DECAY, DEFAULT_AMSGRAD);
        }

        /** A copy with β₁ and β₂ (PyTorch's {@code betas}). */
        public Options withBetas(double beta1, double beta2) {
            return new Options(beta1, beta2, eps, weightDecay, amsgrad);
        }

        /** A copy with ε. */
        public Options withEps(double eps) {
            return new Options(beta1, beta2, eps, weightDecay, amsgrad);
        }

        /** A copy with L2 weight decay λ. */
        public Options withWeightDecay(double weightDecay) {
            return new Options(beta1, beta2, eps, weightDecay, amsgrad);
        }

        /** A copy with AMSGrad on or off. */
        public Options withAmsgrad(boolean amsgrad) {
            return new Options(beta1, beta2, eps, weightDecay, amsgrad);
        }
    }

    /**
     * Adam with {@link #DEFAULT_LR} and default options.
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params}
     */
    public Adam(List<Tensor> params) {
        this(params, DEFAULT_LR, Options.defaults());
    }

    /**
     * Adam with default options.
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr}
     */
    public Adam(List<Tensor> params, double lr) {
        this(params, lr, Options.defaults());
    }

    /**
     * Adam with the given options.
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr}
     */
    public Adam(List<Tensor> params, double lr, Options options) {
        super(params, lr, options, false);
    }
}
