package dev.nabla.optim;

import dev.nabla.kernel.OptimizerKernels;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@link Adam} and {@link AdamW} share, which is everything but where the weight decay enters: added to the
 * gradient (Adam, L2) or applied to the parameter first (AdamW, decoupled). Both take {@link Adam.Options}.
 *
 * <p>State per parameter, allocated once: the first moment m ({@code exp_avg}), the second moment v
 * ({@code exp_avg_sq}), with AMSGrad the running maximum of v ({@code max_exp_avg_sq}), and the step count t,
 * which advances only on steps where the parameter has a gradient (so its bias correction is its own).
 *
 * <p>Arithmetic mirrors PyTorch's float32 CPU path: the bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ and the step size
 * lr / (1 − β₁ᵗ) are computed in double and rounded to float32 once per step; each element then goes through
 * the same float32 operations in the same order, with {@code add(alpha)} and {@code addcmul} as fused
 * multiply-adds, as PyTorch's kernels compute them.
 */
abstract sealed class AdamBase extends Optimizer permits Adam, AdamW {
    private final Adam.Options options;
    private final boolean decoupledDecay;
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final float[][] maxExpAvgSq;   // null unless amsgrad

    /**
     * @param decoupledDecay apply the weight decay to the parameter before the moments (AdamW), rather than add it
     *                       to the gradient (Adam)
     * @see Optimizer#Optimizer(List, double) for the checks on {@code params} and {@code lr}
     */
    AdamBase(List<Tensor> params, double lr, Adam.Options options, boolean decoupledDecay) {
        super(params, lr);
        this.options = Objects.requireNonNull(options, "options");
        this.decoupledDecay = decoupledDecay;
        boolean amsgrad = options.amsgrad();
        int n = params.size();
        expAvg = new float[n][];
        expAvgSq = new float[n][];
        maxExpAvgSq = amsgrad ? new float[n][] : null;
        for (int k = 0; k < n; k++) {
            int size = parameters().get(k).size();
            expAvg[k] = new float[size];
            expAvgSq[k] = new float[size];
            if (amsgrad) {
                maxExpAvgSq[k] = new float[size];
            }
        }
    }

    /** The options this optimizer was built with. */
    public Adam.Options options() {
        return options;
    }

    /** The number of steps parameter {@code index} has taken (the t of its bias correction). */
    public long stepCount(int index) {
        Objects.checkIndex(index, parameters().size());
        return stepCountOf(index);
    }

    /** {@inheritDoc} By the rule in the class javadoc. */
    @Override
    public void step() {
        double lr = lr();
        double beta1 = options.beta1();
        double beta2 = options.beta2();
        double decay = options.weightDecay();
        final float shrink = decoupledDecay && decay != 0 ? (float) (1 - lr * decay) : 1f;
        final float l2 = decoupledDecay ? 0f : (float) decay;
        List<Tensor> params = parameters();
        for (int k = 0; k < params.size(); k++) {
            Tensor param = params.get(k);
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            long t = advanceStep(k);
            double biasCorrection1 = 1 - Math.pow(beta1, t);
            double biasCorrection2 = 1 - Math.pow(beta2, t);
            var scalars = new OptimizerKernels.AdamStep(shrink, l2, (float) beta1, (float) (1 - beta1),
                    (float) beta2, (float) (1 - beta2), (float) -(lr / biasCorrection1),
                    (float) Math.sqrt(biasCorrection2), (float) options.eps());
            OptimizerKernels.adam(param.data(), grad.data(), expAvg[k], expAvgSq[k],
                    maxExpAvgSq == null ? null : maxExpAvgSq[k], scalars);
        }
    }

    /** {@code exp_avg}, {@code exp_avg_sq} and, with AMSGrad, {@code max_exp_avg_sq}, as PyTorch names them. */
    @Override
    protected Set<String> bufferNames() {
        return maxExpAvgSq == null ? Set.of("exp_avg", "exp_avg_sq") : Set.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
    }

    @Override
    protected void saveBuffers(int k, BufferSink sink) {
        if (stepCountOf(k) > 0) {
            sink.accept("exp_avg", expAvg[k]);
            sink.accept("exp_avg_sq", expAvgSq[k]);
            if (maxExpAvgSq != null) {
                sink.accept("max_exp_avg_sq", maxExpAvgSq[k]);
            }
        }
    }

    @Override
    protected boolean countsSteps() {
        return true;
    }

    @Override
    protected void loadBuffers(int k, Map<String, float[]> values) {
        restore(expAvg[k], values.get("exp_avg"));
        restore(expAvgSq[k], values.get("exp_avg_sq"));
        if (maxExpAvgSq != null) {
            restore(maxExpAvgSq[k], values.get("max_exp_avg_sq"));
        }
    }

    /** For example {@code Adam(lr=0.001, betas=(0.9, 0.999), eps=1.0E-8, weightDecay=0.0, amsgrad=false)}. */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "(lr=" + lr() + ", betas=(" + options.beta1() + ", " + options.beta2()
                + "), eps=" + options.eps() + ", weightDecay=" + options.weightDecay() + ", amsgrad="
                + options.amsgrad() + ")";
    }
}
