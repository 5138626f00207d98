package dev.nabla.optim;

import dev.nabla.kernel.OptimizerKernels;
import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * The state and the inner loop shared by {@link Adam} and {@link AdamW}, which differ only in where the weight
 * decay enters: added to the gradient (Adam, L2) or applied to the parameter first (AdamW, decoupled).
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
final class AdamMoments {
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final float[][] maxExpAvgSq;   // null unless amsgrad
    private final long[] steps;

    AdamMoments(List<Tensor> params, boolean amsgrad) {
        int n = params.size();
        expAvg = new float[n][];
        expAvgSq = new float[n][];
        maxExpAvgSq = amsgrad ? new float[n][] : null;
        steps = new long[n];
        for (int k = 0; k < n; k++) {
            int size = params.get(k).size();
            expAvg[k] = new float[size];
            expAvgSq[k] = new float[size];
            if (amsgrad) {
                maxExpAvgSq[k] = new float[size];
            }
        }
    }

    /** Steps taken so far by parameter {@code k} (those where it had a gradient). */
    long steps(int k) {
        return steps[k];
    }

    /**
     * One step over every parameter with a gradient; writes the parameters' data and this state.
     *
     * @param l2Decay        λ added to the gradient as λ·θ (Adam's weight decay); 0 for none
     * @param decoupledDecay λ applied as θ ← θ·(1 − lr·λ) before the moments (AdamW's); 0 for none
     */
    void step(List<Tensor> params, double lr, double beta1, double beta2, double eps,
              double l2Decay, double decoupledDecay) {
        final float shrink = decoupledDecay != 0 ? (float) (1 - lr * decoupledDecay) : 1f;
        for (int k = 0; k < params.size(); k++) {
            Tensor param = params.get(k);
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            long t = ++steps[k];
            double biasCorrection1 = 1 - Math.pow(beta1, t);
            double biasCorrection2 = 1 - Math.pow(beta2, t);
            var scalars = new OptimizerKernels.AdamStep(shrink, (float) l2Decay, (float) beta1, (float) (1 - beta1),
                    (float) beta2, (float) (1 - beta2), (float) -(lr / biasCorrection1),
                    (float) Math.sqrt(biasCorrection2), (float) eps);
            OptimizerKernels.adam(param.data(), grad.data(), expAvg[k], expAvgSq[k],
                    maxExpAvgSq == null ? null : maxExpAvgSq[k], scalars);
        }
    }
}
