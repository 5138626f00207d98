package dev.nabla.nn;

import dev.nabla.ops.Activation;

/**
 * A layer that applies one element-wise {@link Activation} and has no parameters: {@link ReLU}, {@link Sigmoid},
 * {@link Tanh} and {@link LeakyReLU}. Its {@link #function()} tells {@link Sequential} whether the layer can run
 * inside the matrix product of a {@link Linear} before it, and tells the gradient monitor what to watch for
 * (saturation, dead units).
 */
public abstract sealed class ActivationLayer extends Module permits ReLU, Sigmoid, Tanh, LeakyReLU {
    private final Activation function;

    ActivationLayer(Activation function) {
        this.function = function;
    }

    /** The layer for {@code function}, with PyTorch's default slope for leaky_relu. */
    public static ActivationLayer of(Activation function) {
        return switch (function) {
            case RELU -> new ReLU();
            case SIGMOID -> new Sigmoid();
            case TANH -> new Tanh();
            case LEAKY_RELU -> new LeakyReLU();
        };
    }

    /** The function this layer applies. */
    public final Activation function() {
        return function;
    }
}
