package dev.nabla.nn;

/**
 * The activation functions as layers, and a lookup by name for command lines and configuration files.
 * Each is element-wise and has no parameters; the maths and derivatives are in {@code dev.nabla.ops}.
 */
public final class Activation {
    private Activation() {
    }

    /** The activation called {@code name}: {@code relu}, {@code sigmoid}, {@code tanh} or {@code leaky_relu}. */
    public static Module byName(String name) {
        return switch (name) {
            case "relu" -> new ReLU();
            case "sigmoid" -> new Sigmoid();
            case "tanh" -> new Tanh();
            case "leaky_relu" -> new LeakyReLU();
            default -> throw new IllegalArgumentException("unknown activation '" + name
                    + "': use one of relu, sigmoid, tanh, leaky_relu");
        };
    }
}
