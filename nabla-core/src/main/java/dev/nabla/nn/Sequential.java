package dev.nabla.nn;

import dev.nabla.ops.Activation;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Modules applied one after another, each to the previous one's output. Sub-modules are named {@code 0, 1, …},
 * so parameters are {@code 0.weight}, {@code 0.bias}, … as in PyTorch; or given names, as PyTorch's
 * {@code Sequential(OrderedDict(...))}, so that they are {@code fc1.weight}, …. Each module is run with
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
     * The given modules in the map's order, each under its name ({@code fc1}, {@code bn1}, …): pass a
     * {@link java.util.LinkedHashMap} or another map with a defined order.
     *
     * @throws IllegalArgumentException when a name is empty or holds a dot
     */
    public Sequential(Map<String, ? extends Module> named) {
        List<Module> modules = new ArrayList<>();
        named.forEach((name, module) -> modules.add(registerModule(name, module)));
        this.layers = modules.toArray(Module[]::new);
    }

    /**
     * Calls each module on the previous one's output. A {@link Linear} followed by a {@link ReLU}, {@link Sigmoid} or
     * {@link Tanh} ({@link #fusesWithNext}) runs as one op, the activation applied to each tile of the matrix product
     * as it is computed: the same output and gradients, one pass over memory fewer. A {@link BatchNorm} followed by a
     * ReLU runs as one op too, the ReLU written over the normalised values: one array fewer. The pair stays two ops
     * when the first has hooks or the activation has input or forward hooks, since both would need the first one's
     * output; the activation's output hooks see the fused op's output.
     */
    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < layers.length; i++) {
            if (fusesWithNext(i) && layers[i].hookCount() == 0 && !layers[i + 1].watchesInput()) {
                ActivationLayer activation = (ActivationLayer) layers[i + 1];
                x = layers[i] instanceof BatchNorm bn ? bn.forward(x, true)
                        : ((Linear) layers[i]).forward(x, activation.function());
                activation.runOutputHooks(x);
                i++;
            } else {
                x = layers[i].call(x);
            }
        }
        return x;
    }

    /**
     * True when module {@code i} is a {@link Linear} and module {@code i + 1} an activation that the Linear's matrix
     * product can apply ({@link Activation#fusesIntoLinear()}), or module {@code i} is a {@link BatchNorm} and module
     * {@code i + 1} a ReLU: the pair runs as one op unless hooks that need the first one's output keep it apart (see
     * {@link #forward}).
     */
    public boolean fusesWithNext(int i) {
        if (i + 1 >= layers.length || !(layers[i + 1] instanceof ActivationLayer a)) {
            return false;
        }
        return layers[i] instanceof Linear && a.function().fusesIntoLinear()
                || layers[i] instanceof BatchNorm && a.function() == Activation.RELU;
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
