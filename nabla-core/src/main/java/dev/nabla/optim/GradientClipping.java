package dev.nabla.optim;

import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Gradient clipping, the remedy for exploding gradients: call it between {@code loss.backward()} and
 * {@code optimizer.step()}. Both functions follow PyTorch's {@code torch.nn.utils}.
 *
 * <ul>
 *   <li>{@link #clipByNorm}: if the global L2 norm ‖g‖ of all gradients together exceeds {@code maxNorm}, scale
 *       every gradient by {@code maxNorm / (‖g‖ + 1e-6)}. The direction of the step is kept, only its length is
 *       capped, so this is the usual choice.</li>
 *   <li>{@link #clipByValue}: clamp each gradient entry to {@code [−clipValue, clipValue]}, which changes the
 *       direction too.</li>
 * </ul>
 */
public final class GradientClipping {
    /** Added to the norm before dividing, as PyTorch does, so a zero norm does not divide by zero. */
    public static final double NORM_EPS = 1e-6;

    private GradientClipping() {
    }

    /**
     * Clips as a training loop configured with either or both does: by value when {@code clipValue} is not null, then
     * by norm when {@code maxNorm} is not null; returns the global norm after it ({@code gradNorm}, the norm before,
     * when neither is set).
     */
    public static double clip(List<Tensor> params, double gradNorm, Double clipValue, Double maxNorm) {
        if (clipValue == null && maxNorm == null) {
            return gradNorm;
        }
        if (clipValue != null) {
            clipByValue(params, clipValue);
        }
        if (maxNorm != null) {
            clipByNorm(params, maxNorm);
        }
        return globalNorm(params);
    }

    /**
     * Scales the gradients of {@code params} in place so that their global L2 norm is at most {@code maxNorm}
     * (PyTorch's {@code clip_grad_norm_}); parameters without a gradient are skipped.
     *
     * @return the global norm before clipping (NaN or ∞ when a gradient holds one; the gradients are then left
     *         as they are, since no finite scale helps)
     */
    public static double clipByNorm(List<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be a positive finite number, got " + maxNorm);
        }
        double norm = globalNorm(params);
        double coef = maxNorm / (norm + NORM_EPS);
        if (coef < 1.0) {
            float scale = (float) coef;
            for (Tensor p : params) {
                if (p.grad() != null) {
                    float[] g = p.grad().data();
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= scale;
                    }
                }
            }
        }
        return norm;
    }

    /**
     * Clamps every gradient entry of {@code params} to {@code [−clipValue, clipValue]} in place (PyTorch's
     * {@code clip_grad_value_}); NaN entries stay NaN.
     */
    public static void clipByValue(List<Tensor> params, double clipValue) {
        if (!(clipValue > 0) || Double.isInfinite(clipValue)) {
            throw new IllegalArgumentException("clipValue must be a positive finite number, got " + clipValue);
        }
        float c = (float) clipValue;
        for (Tensor p : params) {
            if (p.grad() != null) {
                float[] g = p.grad().data();
                for (int i = 0; i < g.length; i++) {
                    if (g[i] > c) {
                        g[i] = c;
                    } else if (g[i] < -c) {
                        g[i] = -c;
                    }
                }
            }
        }
    }

    /** The L2 norm of all gradients of {@code params} taken as one vector, accumulated in double. */
    public static double globalNorm(List<Tensor> params) {
        double sq = 0;
        for (Tensor p : params) {
            if (p.grad() != null) {
                for (float v : p.grad().data()) {
                    sq += (double) v * v;
                }
            }
        }
        return Math.sqrt(sq);
    }
}
