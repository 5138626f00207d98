package dev.nabla.ops;

/**
 * The Huber loss (PyTorch's {@code huber_loss}): with z = |x − y|, {@code L = 0.5·z²} for z &lt; δ, else
 * {@code δ·(z − 0.5·δ)}: quadratic near the target, linear far from it, so outliers pull less than with the squared
 * error. It is δ times the smooth L1 loss with β = δ.
 * <p>Backward: ∂L/∂x = x − y inside the band, δ·sign(x − y) outside, and ∂L/∂y = −∂L/∂x, times the upstream
 * gradient.
 */
final class Huber extends PairwiseLoss {
    private final float delta;

    Huber(Reduction reduction, double delta) {
        super("huber_loss", reduction);
        this.delta = (float) Checks.positive("delta", delta);
    }

    @Override
    float loss(float d) {
        float z = Math.abs(d);
        return z < delta ? 0.5f * z * z : delta * (z - 0.5f * delta);
    }

    @Override
    float derivative(float d) {
        return d <= -delta ? -delta : d >= delta ? delta : d;
    }
}
