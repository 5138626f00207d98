package dev.nabla.nn;

import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Tensor;
import java.util.List;

/**
 * Modules applied one after another, each to the previous one's output. Sub-modules are named {@code 0, 1, …},
 * so parameters are {@code 0.weight}, {@code 0.bias}, … as in PyTorch. Each module is run with
 * {@link Module#call(Tensor)}, so its forward hooks fire.
 */
public final class Sequential extends Module {
    private final Module[] layers;

    /** The given modules, in order. */
    public Sequential(Module... layers) {
        this.layers = layers.clone();
        for (int i = 0; i < layers.length; i++) {
            registerModule(Integer.toString(i), layers[i]);
        }
    }

    /** The given modules, in order. */
    public Sequential(List<? extends Module> layers) {
        this(layers.toArray(Module[]::new));
    }

    /**
     * Calls each module on the previous one's output. A {@link Linear} followed by a {@link ReLU}, {@link Sigmoid}
     * or {@link Tanh}, neither with forward hooks, runs as one op (the activation applied to each tile of the matrix
     * product as it is computed): the same output and gradients, one pass over memory fewer. A hook on either
     * layer, which must see the Linear's output, keeps them apart.
     */
    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.length; i++) {
            Gemm.Epilogue activation = i + 1 < layers.length ? fusedActivation(layers[i], layers[i + 1]) : null;
            if (activation != null) {
                x = ((Linear) layers[i]).forward(x, activation);
                i++;
            } else {
                x = layers[i].call(x);
            }
        }
        return x;
    }

    /** The activation {@code next} applies when {@code layer} is a Linear and both can run as one op, else null. */
    private static Gemm.Epilogue fusedActivation(Module layer, Module next) {
        if (!(layer instanceof Linear) || layer.forwardHookCount() > 0 || next.forwardHookCount() > 0) {
            return null;
        }
        return switch (next) {
            case ReLU r -> Gemm.Epilogue.RELU;
            case Sigmoid s -> Gemm.Epilogue.SIGMOID;
            case Tanh t -> Gemm.Epilogue.TANH;
            default -> null;
        };
    }

    /** The i-th module. */
    public Module get(int i) {
        return layers[i];
    }

    /** Number of modules. */
    public int size() {
        return layers.length;
    }
}
