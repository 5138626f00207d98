package dev.nabla.ops;

/**
 * Squared error {@code L = (x − y)²}, element-wise, reduced as PyTorch's {@code mse_loss} (mean by default).
 * <p>Backward: {@code ∂L/∂x = 2(x − y)} and {@code ∂L/∂y = −2(x − y)}, times the upstream gradient (divided by
 * the number of elements for the mean).
 */
final class Mse extends PairwiseLoss {
    Mse(Reduction reduction) {
        super("mse_loss", reduction);
    }

    @Override
    float loss(float d) {
        return d * d;
    }

    @Override
    float derivative(float d) {
        return 2f * d;
    }
}
