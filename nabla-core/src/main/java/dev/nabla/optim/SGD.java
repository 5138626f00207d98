package dev.nabla.optim;

import static dev.nabla.ops.Checks.nonNegative;
import static dev.nabla.ops.Checks.unitClosed;

import dev.nabla.kernel.OptimizerKernels;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay: PyTorch's
 * {@code torch.optim.SGD} (1.13, single-tensor path), rule for rule. For each parameter θ with gradient ∇ at
 * its step t (counted per parameter, from 1), with γ = lr, μ = momentum, τ = dampening, λ = weightDecay:
 * <pre>
 * g ← ∇
 * if λ ≠ 0:      g ← g + λ·θ
 * if μ ≠ 0:
 *     b ← g                      if t = 1   (the buffer starts at the first gradient, not at zero)
 *     b ← μ·b + (1 − τ)·g        otherwise
 *     g ← g + μ·b                if nesterov
 *     g ← b                      otherwise
 * θ ← θ − γ·g
 * </pre>
 * Defaults: {@link #DEFAULT_MOMENTUM}, {@link #DEFAULT_DAMPENING}, {@link #DEFAULT_NESTEROV},
 * {@link #DEFAULT_WEIGHT_DECAY} (plain SGD, as PyTorch). The learning rate has no default.
 *
 * <p><b>Note:</b> this momentum differs from Sutskever et al. (2013), who fold the learning rate into the
 * buffer ({@code v ← μ·v + γ·g; θ ← θ − v}): here γ multiplies the buffer, so changing the learning rate
 * mid-run takes effect at once rather than decaying in through the buffer. The two agree for a constant γ.
 *
 * <p>Arithmetic is float32 per element in PyTorch's order, with {@code a + α·b} as one fused multiply-add as
 * PyTorch's CPU kernel computes it, so results match PyTorch's to the last bit or so.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1, SGD.Options.defaults().withMomentum(0.9).withNesterov(true));
 * }</pre>
 */
public final class SGD extends Optimizer {
    /** Momentum μ: 0, no momentum (PyTorch's default). */
    public static final double DEFAULT_MOMENTUM = 0;
    /** Dampening τ: 0 (PyTorch's default). */
    public static final double DEFAULT_DAMPENING = 0;
    /** Nesterov momentum: off (PyTorch's default). */
    public static final boolean DEFAULT_NESTEROV = false;
    /** L2 weight decay λ, added to the gradient: 0 (PyTorch's default). */
    public static final double DEFAULT_WEIGHT_DECAY = 0;

    /**
     * The optional hyper-parameters of {@link SGD}; start from {@link #defaults()} and change what you need with
     * the {@code with…} methods.
     *
     * @param momentum    μ, finite and {@code >= 0}
     * @param dampening   τ, in {@code [0, 1]}
     * @param nesterov    use Nesterov momentum (needs {@code momentum > 0} and {@code dampening == 0})
     * @param weightDecay λ, finite and {@code >= 0}
     */
    public record Options(double momentum, double dampening, boolean nesterov, double weightDecay) {
        /**
         * @throws IllegalArgumentException naming the value and its valid range. The combination rule of
         *                                  {@code nesterov} is checked by the {@link SGD} constructor, so
         *                                  the {@code with…} calls may come in any order
         */
        public Options {
            nonNegative("momentum", momentum);
            unitClosed("dampening", dampening);
            nonNegative("weightDecay", weightDecay);
        }

        /** All options at their defaults: plain SGD. */
        public static Options defaults() {
            return new Options(DEFAULT_MOMENTUM, DEFAULT_DAMPENING, DEFAULT_NESTEROV, DEFAULT_WEIGHT_DECAY);
        }

        /** A copy with momentum μ. */
        public Options withMomentum(double momentum) {
            return new Options(momentum, dampening, nesterov, weightDecay);
        }

        /** A copy with dampening τ. */
        public Options withDampening(double dampening) {
            return new Options(momentum, dampening, nesterov, weightDecay);
        }

        /** A copy with Nesterov momentum on or off. */
        public Options withNesterov(boolean nesterov) {
            return new Options(momentum, dampening, nesterov, weightDecay);
        }

        /** A copy with L2 weight decay λ. */
        public Options withWeightDecay(double weightDecay) {
            return new Options(momentum, dampening, nesterov, weightDecay);
        }
    }

    private final Options options;
    /** One momentum buffer per parameter, allocated once; null when momentum is 0. */
    private final float[][] buffers;
    /** Whether each buffer holds a value yet (false until the parameter's first step with a gradient). */
    private final boolean[] started;

    /**
     * Plain SGD: {@code θ ← θ − lr·∇}.
     *
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr}
     */
    public SGD(List<Tensor> params, double lr) {
        this(params, lr, Options.defaults());
    }

    /**
     * SGD with the given options.
     *
     * @throws IllegalArgumentException as {@link Optimizer#Optimizer(List, double)}, or if {@code nesterov} is
     *                                  set without {@code momentum > 0} and {@code dampening == 0}
     */
    public SGD(List<Tensor> params, double lr, Options options) {
        super(params, lr);
        this.options = Objects.requireNonNull(options, "options");
        if (options.nesterov() && (options.momentum() <= 0 || options.dampening() != 0)) {
            throw new IllegalArgumentException("nesterov momentum needs momentum > 0 and dampening == 0, got momentum="
                    + options.momentum() + ", dampening=" + options.dampening());
        }
        List<Tensor> ps = parameters();
        if (options.momentum() != 0) {
            buffers = new float[ps.size()][];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = new float[ps.get(i).size()];
            }
        } else {
            buffers = null;
        }
        started = new boolean[ps.size()];
    }

    /** The options this optimizer was built with. */
    public Options options() {
        return options;
    }

    /** {@inheritDoc} By the rule in the class javadoc. */
    @Override
    public void step() {
        // Scalars rounded to float32 once, as PyTorch passes them to its float32 kernels.
        final float negLr = (float) -lr();
        final float wd = (float) options.weightDecay();
        final float mu = (float) options.momentum();
        final float dampen = (float) (1 - options.dampening());
        List<Tensor> ps = parameters();
        for (int k = 0; k < ps.size(); k++) {
            Tensor param = ps.get(k);
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            boolean first = !started[k];
            started[k] = true;
            OptimizerKernels.sgd(param.data(), grad.data(), buffers == null ? null : buffers[k], first, negLr, wd, mu,
                    dampen, options.nesterov());
        }
    }

    /** {@code momentum_buffer} with momentum, else nothing: plain SGD keeps no state. */
    @Override
    protected Set<String> bufferNames() {
        return buffers == null ? Set.of() : Set.of("momentum_buffer");
    }

    @Override
    protected void saveBuffers(int k, BufferSink sink) {
        if (buffers != null && started[k]) {
            sink.accept("momentum_buffer", buffers[k]);
        }
    }

    @Override
    protected void loadBuffers(int k, Map<String, float[]> values) {
        float[] momentum = values.get("momentum_buffer");
        started[k] = momentum != null;
        if (buffers != null) {
            restore(buffers[k], momentum);
        }
    }

    /** For example {@code SGD(lr=0.1, momentum=0.9, dampening=0.0, nesterov=true, weightDecay=0.0)}. */
    @Override
    public String toString() {
        return "SGD(lr=" + lr() + ", momentum=" + options.momentum() + ", dampening=" + options.dampening()
                + ", nesterov=" + options.nesterov() + ", weightDecay=" + options.weightDecay() + ")";
    }
}
