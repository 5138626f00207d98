package dev.nabla.nn;

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

    @Override
    public Tensor forward(Tensor x) {
        for (Module layer : layers) {
            x = layer.call(x);
        }
        return x;
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
