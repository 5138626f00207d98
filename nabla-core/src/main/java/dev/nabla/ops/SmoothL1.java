package dev.nabla.ops;

/**
 * Smooth L1 (PyTorch's {@code smooth_l1_loss}, Girshick's Fast R-CNN loss): with z = |x − y|,
 * {@code L = 0.5·z²/β} for z &lt; β, else {@code z − 0.5·β}; β = 0 is the L1 loss.
 * <p>Backward: ∂L/∂x = (x − y)/β inside the band, sign(x − y) outside (at |x − y| = β both give ±1), and
 * ∂L/∂y = −∂L/∂x, times the upstream gradient.
 */
final class SmoothL1 extends PairwiseLoss {
    private final float beta;

    SmoothL1(Reduction reduction, double beta) {
        super("smooth_l1_loss", reduction);
        this.beta = (float) Checks.nonNegative("beta", beta);
    }

    @Override
    float loss(float d) {
        float z = Math.abs(d);
        return z < beta ? 0.5f * z * z / beta : z - 0.5f * beta;
    }

    @Override
    float derivative(float d) {
        return d <= -beta ? -1f : d >= beta ? 1f : d / beta;
    }
}
