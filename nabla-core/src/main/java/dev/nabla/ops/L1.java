package dev.nabla.ops;

/**
 * Absolute error {@code L = |x − y|}, element-wise, reduced as PyTorch's {@code l1_loss} (mean by default).
 * <p>Backward: {@code ∂L/∂x = sign(x − y)} (0 where x = y, PyTorch's subgradient), {@code ∂L/∂y = −sign(x − y)},
 * times the upstream gradient.
 */
final class L1 extends PairwiseLoss {
    L1(Reduction reduction) {
        super("l1_loss", reduction);
    }

    @Override
    float loss(float d) {
        return Math.abs(d);
    }

    @Override
    float derivative(float d) {
        return Math.signum(d);
    }
}
