package dev.nabla.optim;

import static dev.nabla.ops.Checks.nonNegative;

import dev.nabla.kernel.OptimizerKernels;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Adagrad (Duchi, Hazan and Singer 2011): each weight's step divided by the root of the sum of its squared
 * gradients so far, so that often-updated weights slow down; PyTorch's {@code torch.optim.Adagrad} (1.13), rule for
 * rule. For each parameter at its step t (from 1), γ = lr, η the rate decay, λ the weight decay:
 * <pre>
 * g ← ∇ (+ λ·θ)
 * γ_t ← γ / (1 + (t − 1)·η)
 * s ← s + g²                         (sum, from initial_accumulator_value)
 * θ ← θ − γ_t·g/(√s + ε)
 * </pre>
 * Defaults as PyTorch's: η = 0, λ = 0, s₀ = 0, ε = 1e-10, rate 0.01.
 */
public final class Adagrad extends Optimizer {
    /** The learning rate when none is given: 0.01, PyTorch's. */
    public static final double DEFAULT_LR = 0.01;

    /**
     * @param lrDecay                 η, ≥ 0
     * @param weightDecay             λ, ≥ 0
     * @param initialAccumulatorValue s₀, ≥ 0
     * @param eps                     ε, ≥ 0
     */
    public record Options(double lrDecay, double weightDecay, double initialAccumulatorValue, double eps) {
        public Options {
            nonNegative("lrDecay", lrDecay);
            nonNegative("weightDecay", weightDecay);
            nonNegative("initialAccumulatorValue", initialAccumulatorValue);
            nonNegative("eps", eps);
        }

        /** PyTorch's defaults. */
        public static Options defaults() {
            return new Options(0, 0, 0, 1e-10);
        }

        /** A copy with weight decay λ. */
        public Options withWeightDecay(double weightDecay) {
            return new Options(lrDecay, weightDecay, initialAccumulatorValue, eps);
        }
    }

    private final Options options;
    private final float[][] sum;

    /** Adagrad with PyTorch's defaults and rate {@code lr}. */
    public Adagrad(List<Tensor> params, double lr) {
        this(params, lr, Options.defaults());
    }

    /** @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr} */
    public Adagrad(List<Tensor> params, double lr, Options options) {
        super(params, lr);
        this.options = Objects.requireNonNull(options, "options");
        sum = new float[params.size()][];
        for (int k = 0; k < sum.length; k++) {
            sum[k] = new float[parameters().get(k).size()];
            java.util.Arrays.fill(sum[k], (float) options.initialAccumulatorValue());
        }
    }

    /** The options this optimizer was built with. */
    public Options options() {
        return options;
    }

    @Override
    public void step() {
        List<Tensor> params = parameters();
        for (int k = 0; k < params.size(); k++) {
            Tensor grad = params.get(k).grad();
            if (grad == null) {
                continue;
            }
            long t = advanceStep(k);
            double clr = lr() / (1 + (t - 1) * options.lrDecay());
            OptimizerKernels.adagrad(params.get(k).data(), grad.data(), sum[k], (float) -clr,
                    (float) options.weightDecay(), (float) options.eps());
        }
    }

    /** {@code sum}, PyTorch's name; Adagrad keeps it from the start. */
    @Override
    protected Set<String> bufferNames() {
        return Set.of("sum");
    }

    @Override
    protected void saveBuffers(int k, BufferSink sink) {
        if (stepCountOf(k) > 0) {
            sink.accept("sum", sum[k]);
        }
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected void loadBuffers(int k, Map<String, float[]> values) {
        float[] saved = values.get("sum");
        if (saved == null) {
            java.util.Arrays.fill(sum[k], (float) options.initialAccumulatorValue());
        } else {
            System.arraycopy(saved, 0, sum[k], 0, sum[k].length);
        }
    }

    /** For example {@code Adagrad(lr=0.01, lrDecay=0.0, weightDecay=0.0, initialAccumulatorValue=0.0, eps=1.0E-10)}. */
    @Override
    public String toString() {
        return "Adagrad(lr=" + lr() + ", lrDecay=" + options.lrDecay() + ", weightDecay=" + options.weightDecay()
                + ", initialAccumulatorValue=" + options.initialAccumulatorValue() + ", eps=" + options.eps() + ")";
    }
}
