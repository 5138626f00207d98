package dev.nabla.optim;

import static dev.nabla.ops.Checks.nonNegative;

import dev.nabla.kernel.OptimizerKernels;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * RMSprop (Hinton's lecture 6e): each weight's step divided by a running root mean square of its gradients;
 * PyTorch's {@code torch.optim.RMSprop} (1.13), rule for rule. For each parameter θ with gradient ∇, γ = lr,
 * α the smoothing constant, μ the momentum, λ the weight decay:
 * <pre>
 * g ← ∇ (+ λ·θ)
 * s ← α·s + (1 − α)·g²                              (square_avg)
 * centered:  a ← α·a + (1 − α)·g;  d ← √(s − a²) + ε  (grad_avg)
 * else:      d ← √s + ε
 * momentum:  b ← μ·b + g/d;  θ ← θ − γ·b            (momentum_buffer)
 * else:      θ ← θ − γ·g/d
 * </pre>
 * Defaults as PyTorch's: α = 0.99, ε = 1e-8, no momentum, not centered, no weight decay; the rate has the
 * command line's default 0.01 (PyTorch's too). Float32 per element in PyTorch's order, {@code addcmul} as a fused
 * multiply-add, as {@link Adam}.
 */
public final class RMSprop extends Optimizer {
    /** The learning rate when none is given: 0.01, PyTorch's. */
    public static final double DEFAULT_LR = 0.01;

    /**
     * @param alpha       the smoothing constant α, in [0, 1)
     * @param eps         ε, added to the root mean square, ≥ 0
     * @param weightDecay λ, ≥ 0
     * @param momentum    μ, ≥ 0
     * @param centered    divide by the gradient's running standard deviation rather than its root mean square
     */
    public record Options(double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        public Options {
            if (!(alpha >= 0 && alpha < 1)) {
                throw new IllegalArgumentException("RMSprop's alpha must be in [0, 1), got " + alpha);
            }
            nonNegative("eps", eps);
            nonNegative("weightDecay", weightDecay);
            nonNegative("momentum", momentum);
        }

        /** PyTorch's defaults. */
        public static Options defaults() {
            return new Options(0.99, 1e-8, 0, 0, false);
        }

        /** A copy with weight decay λ. */
        public Options withWeightDecay(double weightDecay) {
            return new Options(alpha, eps, weightDecay, momentum, centered);
        }

        /** A copy with momentum μ. */
        public Options withMomentum(double momentum) {
            return new Options(alpha, eps, weightDecay, momentum, centered);
        }

        /** A copy, centered or not. */
        public Options withCentered(boolean centered) {
            return new Options(alpha, eps, weightDecay, momentum, centered);
        }
    }

    private final Options options;
    private final float[][] square;
    private final float[][] average;   // null unless centered
    private final float[][] momentumBuffer;   // null without momentum

    /** RMSprop with PyTorch's defaults and rate {@code lr}. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, lr, Options.defaults());
    }

    /** @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr} */
    public RMSprop(List<Tensor> params, double lr, Options options) {
        super(params, lr);
        this.options = Objects.requireNonNull(options, "options");
        int n = params.size();
        square = new float[n][];
        average = options.centered() ? new float[n][] : null;
        momentumBuffer = options.momentum() > 0 ? new float[n][] : null;
        for (int k = 0; k < n; k++) {
            int size = parameters().get(k).size();
            square[k] = new float[size];
            if (average != null) {
                average[k] = new float[size];
            }
            if (momentumBuffer != null) {
                momentumBuffer[k] = new float[size];
            }
        }
    }

    /** The options this optimizer was built with. */
    public Options options() {
        return options;
    }

    @Override
    public void step() {
        float negLr = (float) -lr();
        List<Tensor> params = parameters();
        for (int k = 0; k < params.size(); k++) {
            Tensor grad = params.get(k).grad();
            if (grad == null) {
                continue;
            }
            advanceStep(k);
            OptimizerKernels.rmsprop(params.get(k).data(), grad.data(), square[k],
                    average == null ? null : average[k], momentumBuffer == null ? null : momentumBuffer[k], negLr,
                    (float) options.weightDecay(), (float) options.alpha(), (float) (1 - options.alpha()),
                    (float) options.eps(), (float) options.momentum());
        }
    }

    @Override
    protected Set<String> bufferNames() {
        if (average != null) {
            return momentumBuffer != null ? Set.of("square_avg", "momentum_buffer", "grad_avg")
                    : Set.of("square_avg", "grad_avg");
        }
        return momentumBuffer != null ? Set.of("square_avg", "momentum_buffer") : Set.of("square_avg");
    }

    @Override
    protected void saveBuffers(int k, BufferSink sink) {
        if (stepCountOf(k) == 0) {
            return;
        }
        sink.accept("square_avg", square[k]);
        if (momentumBuffer != null) {
            sink.accept("momentum_buffer", momentumBuffer[k]);
        }
        if (average != null) {
            sink.accept("grad_avg", average[k]);
        }
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected void loadBuffers(int k, Map<String, float[]> values) {
        restore(square[k], values.get("square_avg"));
        if (average != null) {
            restore(average[k], values.get("grad_avg"));
        }
        if (momentumBuffer != null) {
            restore(momentumBuffer[k], values.get("momentum_buffer"));
        }
    }

    /** For example {@code RMSprop(lr=0.01, alpha=0.99, eps=1.0E-8, weightDecay=0.0, momentum=0.0, centered=false)}. */
    @Override
    public String toString() {
        return "RMSprop(lr=" + lr() + ", alpha=" + options.alpha() + ", eps=" + options.eps() + ", weightDecay="
                + options.weightDecay() + ", momentum=" + options.momentum() + ", centered=" + options.centered() + ")";
    }
}
