package dev.nabla.ops;

import dev.nabla.tensor.Tensor;
import java.util.Locale;

/**
 * The element-wise activation functions, as one type that the layers, the MLP builder, the gradient monitor and the
 * command line share. {@link #toString()} is the function's name as PyTorch writes it ({@code relu},
 * {@code leaky_relu}), which is also how command lines and reports spell it.
 *
 * <p>Each kind says where its gradient gets into trouble, which is what {@code diagnostics} watches for.
 */
public enum Activation {
    /** max(x, 0): relu′ is 1 on the active side, so it does not shrink gradients; a unit is dead when it outputs 0
     * for a whole batch, since it then passes no gradient either. */
    RELU,
    /** σ(x) = 1/(1 + e^−x): σ′ = σ(1 − σ) ≤ 1/4, so a chain of sigmoids shrinks the gradient; saturated where
     * σ &lt; 0.01 or σ &gt; 0.99, where σ′ &lt; 0.0099. */
    SIGMOID,
    /** tanh(x): tanh′ = 1 − tanh² ≤ 1; saturated where |tanh| &gt; 0.99, where tanh′ &lt; 0.02. */
    TANH,
    /** x for x &gt; 0, slope·x otherwise ({@link Functional#DEFAULT_LEAKY_SLOPE}): never saturates, never dies. */
    LEAKY_RELU;

    /** This function applied to x element-wise, with the default slope for {@link #LEAKY_RELU}. */
    public Tensor apply(Tensor x) {
        return switch (this) {
            case RELU -> Functional.relu(x);
            case SIGMOID -> Functional.sigmoid(x);
            case TANH -> Functional.tanh(x);
            case LEAKY_RELU -> Functional.leakyRelu(x);
        };
    }

    /** True for the functions {@link Functional#linear(Tensor, Tensor, Tensor, Activation)} applies inside the
     * matrix product: relu, sigmoid and tanh. */
    public boolean fusesIntoLinear() {
        return this != LEAKY_RELU;
    }

    /** True for the squashing functions, whose outputs can saturate (sigmoid, tanh). */
    public boolean saturates() {
        return this == SIGMOID || this == TANH;
    }

    /** The name as PyTorch writes it: {@code relu}, {@code sigmoid}, {@code tanh}, {@code leaky_relu}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
