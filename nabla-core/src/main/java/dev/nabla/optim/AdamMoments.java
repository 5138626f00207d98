package dev.nabla.optim;

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
        final boolean amsgrad = maxExpAvgSq != null;
        final boolean l2 = l2Decay != 0;
        final float l2F = (float) l2Decay;
        final boolean decoupled = decoupledDecay != 0;
        final float shrink = (float) (1 - lr * decoupledDecay);
        final float b1 = (float) beta1;
        final float b2 = (float) beta2;
        final float oneMinusB1 = (float) (1 - beta1);
        final float oneMinusB2 = (float) (1 - beta2);
        final float epsF = (float) eps;
        for (int k = 0; k < params.size(); k++) {
            Tensor param = params.get(k);
            Tensor grad = param.grad();
            if (grad == null) {
                continue;
            }
            long t = ++steps[k];
            double biasCorrection1 = 1 - Math.pow(beta1, t);
            double biasCorrection2 = 1 - Math.pow(beta2, t);
            final float negStepSize = (float) -(lr / biasCorrection1);
            final float bc2Sqrt = (float) Math.sqrt(biasCorrection2);

            float[] p = param.data();
            float[] gr = grad.data();
            float[] m = expAvg[k];
            float[] v = expAvgSq[k];
            float[] vMax = amsgrad ? maxExpAvgSq[k] : null;
            for (int i = 0; i < p.length; i++) {
                float theta = decoupled ? p[i] * shrink : p[i];
                float g = l2 ? Math.fma(l2F, theta, gr[i]) : gr[i];
                float mi = Math.fma(oneMinusB1, g, m[i] * b1);
                float vi = Math.fma(oneMinusB2 * g, g, v[i] * b2);
                m[i] = mi;
                v[i] = vi;
                float vHat = vi;
                if (amsgrad) {
                    vHat = Math.max(vMax[i], vi);
                    vMax[i] = vHat;
                }
                float denom = (float) Math.sqrt(vHat) / bc2Sqrt + epsF;
                p[i] = theta + negStepSize * mi / denom;
            }
        }
    }
}
