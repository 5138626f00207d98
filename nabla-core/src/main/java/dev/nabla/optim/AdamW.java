package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, 2019) and optional AMSGrad: PyTorch's
 * {@code torch.optim.AdamW} (1.13, single-tensor path), rule for rule. For each parameter θ with gradient ∇ at
 * its step t (counted per parameter, from 1), with γ = lr, λ = weightDecay, m = v = v_max = 0 at the start:
 * <pre>
 * θ ← θ·(1 − γλ)                    (the decay, first, and never through the gradient)
 * m ← β₁·m + (1 − β₁)·∇
 * v ← β₂·v + (1 − β₂)·∇²
 * if amsgrad: v_max ← max(v_max, v);  u ← v_max
 * else:       u ← v
 * θ ← θ − γ/(1 − β₁ᵗ) · m / (√u / √(1 − β₂ᵗ) + ε)
 * </pre>
 * Defaults: {@link #DEFAULT_LR} (for {@link #AdamW(List)}), {@link #DEFAULT_BETA1}, {@link #DEFAULT_BETA2},
 * {@link #DEFAULT_EPS}, {@link #DEFAULT_WEIGHT_DECAY}, {@link #DEFAULT_AMSGRAD}, all as in PyTorch.
 *
 * <p><b>Note:</b> the decay per step is γλ, scaled by the learning rate as in PyTorch; the paper scales λ by the
 * schedule multiplier only, not by the base rate. So here changing lr also changes the effective decay.
 * <p><b>Note:</b> unlike {@link Adam}, the default weight decay is not 0 but {@value #DEFAULT_WEIGHT_DECAY}, and
 * it applies to every parameter given, biases and normalisation scales included; pass those to a separate
 * optimizer with weight decay 0 if they should not decay.
 * <p>The AMSGrad and ε conventions, and the float32 arithmetic, are those of {@link Adam}.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), 1e-3, AdamW.defaultOptions().withWeightDecay(0.05));
 * }</pre>
 */
public final class AdamW extends AdamBase {
    /** Learning rate γ used by {@link #AdamW(List)}: 1e-3 (PyTorch's default), as {@link Adam#DEFAULT_LR}. */
    public static final double DEFAULT_LR = Adam.DEFAULT_LR;
    /** β₁: 0.9 (PyTorch's default), as {@link Adam#DEFAULT_BETA1}. */
    public static final double DEFAULT_BETA1 = Adam.DEFAULT_BETA1;
    /** β₂: 0.999 (PyTorch's default), as {@link Adam#DEFAULT_BETA2}. */
    public static final double DEFAULT_BETA2 = Adam.DEFAULT_BETA2;
    /** ε: 1e-8 (PyTorch's default), as {@link Adam#DEFAULT_EPS}. */
    public static final double DEFAULT_EPS = Adam.DEFAULT_EPS;
    /** Decoupled weight decay λ: 0.01 (PyTorch's default for AdamW). */
    public static final double DEFAULT_WEIGHT_DECAY = 0.01;
    /** AMSGrad: off (PyTorch's default), as {@link Adam#DEFAULT_AMSGRAD}. */
    public static final boolean DEFAULT_AMSGRAD = Adam.DEFAULT_AMSGRAD;

    /**
     * The default options of AdamW: Adam's, with weight decay {@value #DEFAULT_WEIGHT_DECAY}. Change what you need
     * with the {@code with…} methods of {@link Adam.Options}; here the weight decay is decoupled.
     */
    public static Adam.Options defaultOptions() {
        return Adam.Options.defaults().withWeightDecay(DEFAULT_WEIGHT_DECAY);
    }

    /**
     * AdamW with {@link #DEFAULT_LR} and default options.
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params}
     */
    public AdamW(List<Tensor> params) {
        this(params, DEFAULT_LR, defaultOptions());
    }

    /**
     * AdamW with default options.
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr}
     */
    public AdamW(List<Tensor> params, double lr) {
        this(params, lr, defaultOptions());
    }

    /**
     * AdamW with the given options (start from {@link #defaultOptions()}: Adam's defaults have no weight decay).
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr}
     */
    public AdamW(List<Tensor> params, double lr, Adam.Options options) {
        super(params, lr, options, true);
    }
}
