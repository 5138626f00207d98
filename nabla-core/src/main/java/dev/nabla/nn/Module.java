package dev.nabla.nn;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A layer or a network: owns named parameters, buffers and sub-modules, and maps an input tensor to an output.
 *
 * <p>Parameters are named by their path, as in PyTorch's {@code state_dict}: the weight of the first layer of a
 * {@link Sequential} is {@code 0.weight}. <em>Buffers</em> are state that is not trained but belongs to the model,
 * such as BatchNorm's {@code running_mean}: no gradient, no optimizer, but part of {@link #namedState()}.
 * Modules start in training mode; {@link #eval()} switches layers such as {@link Dropout} and {@link BatchNorm}
 * to their inference behaviour. Modules compose the ops of {@code dev.nabla.ops} and never write a backward of
 * their own.
 *
 * <p><b>Calling a module.</b> {@link #call(Tensor)} runs this module's input hooks ({@link #addInputHook}, which may
 * put another tensor of the same values in the input's place), {@link #forward(Tensor)}, and then its hooks: its
 * forward hooks ({@link #addForwardHook}, which see input and output), then its output hooks ({@link #addOutputHook},
 * which see the output only). It is what containers such as {@link Sequential} call for their children and what the
 * trainer calls for the model, so a hook on any layer fires however deep it sits. Calling {@code forward} directly
 * computes the same output without the hooks.
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Rng> generators = new LinkedHashMap<>();
    private final List<ForwardHook> forwardHooks = new CopyOnWriteArrayList<>();
    private final List<OutputHook> outputHooks = new CopyOnWriteArrayList<>();
    private final List<InputHook> inputHooks = new CopyOnWriteArrayList<>();
    private boolean training = true;

    /**
     * Computes this module's output. Records the graph when gradients are enabled. A container calls its
     * children through {@link #call(Tensor)}, not through this method, so that their hooks run.
     */
    public abstract Tensor forward(Tensor x);

    /**
     * Runs each input hook, {@link #forward(Tensor)}, then each forward hook and then each output hook of this module,
     * each kind in the order they were added, and returns the output.
     */
    public final Tensor call(Tensor x) {
        for (InputHook hook : inputHooks) {
            x = hook.beforeForward(this, x);
        }
        Tensor y = forward(x);
        for (ForwardHook hook : forwardHooks) {
            hook.afterForward(this, x, y);
        }
        runOutputHooks(y);
        return y;
    }

    /**
     * Runs the output hooks on {@code y}, computed for this module by a fused op instead of {@link #forward}
     * (see {@link Sequential}); only for a module without forward hooks, which would need its input.
     */
    final void runOutputHooks(Tensor y) {
        for (OutputHook hook : outputHooks) {
            hook.afterForward(this, y);
        }
    }

    /**
     * Adds a hook that {@link #call(Tensor)} runs after this module's forward with its input and output (on this module
     * only; add it to each sub-module to watch them, e.g. over {@link #namedModules()}). A hook that reads only the
     * output should be an {@link OutputHook}: it leaves {@link Sequential} free to fuse this module with the one
     * before.
     *
     * @return the handle that removes the hook again
     */
    public final HookHandle addForwardHook(ForwardHook hook) {
        return add(forwardHooks, Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Adds a hook that {@link #call(Tensor)} runs after this module's forward with its output only (on this module
     * only).
     *
     * @return the handle that removes the hook again
     */
    public final HookHandle addOutputHook(OutputHook hook) {
        return add(outputHooks, Objects.requireNonNull(hook, "hook"));
    }

    /**
     * Adds a hook that {@link #call(Tensor)} runs before this module's forward with its input, and which may put
     * another tensor of the same values in its place (on this module only).
     *
     * @return the handle that removes the hook again
     */
    public final HookHandle addInputHook(InputHook hook) {
        return add(inputHooks, Objects.requireNonNull(hook, "hook"));
    }

    private static <H> HookHandle add(List<H> hooks, H hook) {
        hooks.add(hook);
        boolean[] removed = {false};
        return () -> {
            if (!removed[0]) {
                removed[0] = true;
                hooks.remove(hook);
            }
        };
    }

    /** The number of hooks on this module (not its sub-modules): input, forward and output hooks together. */
    public final int hookCount() {
        return inputHooks.size() + forwardHooks.size() + outputHooks.size();
    }

    /** True when this module has hooks that need its input: input or forward hooks (output hooks do not count). */
    final boolean watchesInput() {
        return !forwardHooks.isEmpty() || !inputHooks.isEmpty();
    }

    /** Registers a parameter under {@code name}, marks it as requiring grad, and returns it. */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName(name);
        value.requiresGrad(true);
        parameters.put(name, value);
        return value;
    }

    /**
     * Registers a buffer under {@code name} and returns it: state the module updates itself (BatchNorm's running
     * statistics), saved with the parameters in {@link #namedState()} but never trained.
     *
     * @throws IllegalArgumentException when the tensor requires grad (make it a parameter instead) or the name is
     *                                  taken
     */
    protected final Tensor registerBuffer(String name, Tensor value) {
        checkName(name);
        if (value.requiresGrad()) {
            throw new IllegalArgumentException("buffer '" + name + "' of " + getClass().getSimpleName()
                    + " requires grad: buffers are not trained; register a trained tensor with registerParameter");
        }
        buffers.put(name, value);
        return value;
    }

    /** Registers a sub-module under {@code name} (its parameters become {@code name.param}) and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    /**
     * Registers the random generator this module draws from while it runs (dropout's masks) under {@code name}
     * and returns it, so that a training checkpoint can save where it stands and a resumed run draws the same
     * numbers ({@link #namedGenerators()}).
     */
    protected final Rng registerGenerator(String name, Rng rng) {
        if (name.isEmpty() || name.contains(".") || generators.containsKey(name)) {
            throw new IllegalArgumentException("invalid or duplicate generator name '" + name + "' in "
                    + getClass().getSimpleName());
        }
        generators.put(name, Objects.requireNonNull(rng, "rng"));
        return rng;
    }

    /**
     * The random generators this module and its sub-modules draw from as they run, by path (such as
     * {@code 2.generator} for a {@link Dropout}), the generators themselves: a checkpoint saves their
     * {@link Rng#state()} and a resumed run sets it back.
     */
    public final Map<String, Rng> namedGenerators() {
        Map<String, Rng> out = new LinkedHashMap<>();
        namedModules().forEach((path, m) -> m.generators.forEach((name, rng) ->
                out.put(path.isEmpty() ? name : path + "." + name, rng)));
        return Collections.unmodifiableMap(out);
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".") || parameters.containsKey(name) || buffers.containsKey(name)
                || children.containsKey(name)) {
            throw new IllegalArgumentException("invalid or duplicate name '" + name + "' in " + getClass().getSimpleName());
        }
    }

    /** Every parameter of this module and its sub-modules, in registration order. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every parameter by its path, such as {@code 0.weight}, in registration order. */
    public final Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, false);
        return Collections.unmodifiableMap(out);
    }

    /** Every buffer by its path, such as {@code 1.running_mean}, in registration order. */
    public final Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false, true);
        return Collections.unmodifiableMap(out);
    }

    /**
     * Everything that defines the model's computation, by path: parameters and buffers, in the order and under the
     * names of PyTorch's {@code state_dict()} (each module's parameters, then its buffers, then its sub-modules),
     * e.g. {@code 0.weight, 0.bias, 1.weight, 1.bias, 1.running_mean, 1.running_var, 1.num_batches_tracked}.
     * The tensors are the module's own, not copies: writing into them changes the model.
     */
    public final Map<String, Tensor> namedState() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true, true);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean withParameters, boolean withBuffers) {
        if (withParameters) {
            parameters.forEach((name, p) -> out.put(prefix + name, p));
        }
        if (withBuffers) {
            buffers.forEach((name, b) -> out.put(prefix + name, b));
        }
        children.forEach((name, m) -> m.collect(prefix + name + ".", out, withParameters, withBuffers));
    }

    /**
     * A copy of {@link #namedState()}: every parameter and buffer by its path, detached from the model, in
     * PyTorch's {@code state_dict()} order and under its names, so that writing it to a file (see
     * {@code dev.nabla.io.SafeTensors}) gives what PyTorch's {@code load_state_dict} takes.
     */
    public final Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        namedState().forEach((name, t) -> out.put(name, Tensor.wrap(t.data().clone(), t.shape())));
        return Collections.unmodifiableMap(out);
    }

    /**
     * The values of {@link #namedState()}, copied into plain arrays by the same names and in the same order: a
     * snapshot later steps do not change, and that serializes as it is (what data-parallel workers exchange, or a
     * fitted model keeps). {@link #setStateValues} puts it back.
     */
    public final Map<String, float[]> stateValues() {
        Map<String, float[]> out = new LinkedHashMap<>();
        namedState().forEach((name, t) -> out.put(name, t.data().clone()));
        return out;
    }

    /**
     * Copies {@code values} (as {@link #stateValues} gives them, from this model or one of the same spec) into the
     * parameters and buffers of the same names; the others keep theirs.
     */
    public final void setStateValues(Map<String, float[]> values) {
        Map<String, Tensor> own = namedState();
        values.forEach((name, v) -> System.arraycopy(v, 0, own.get(name).data(), 0, v.length));
    }

    /**
     * What {@link #loadStateDict} did not match: the model's entries the state dict lacked, and the state dict's
     * entries the model has no place for (PyTorch's {@code _IncompatibleKeys}). Both are empty after a strict load.
     */
    public record LoadResult(List<String> missing, List<String> unexpected) {
        public LoadResult {
            missing = List.copyOf(missing);
            unexpected = List.copyOf(unexpected);
        }
    }

    /**
     * Copies the values of {@code state} into this model's parameters and buffers of the same names (PyTorch's
     * {@code load_state_dict}). Every entry is checked before anything is written, so a load that fails leaves the
     * model as it was.
     *
     * @param state  tensors by path, as {@link #stateDict()} gives them
     * @param strict whether names the model has and the state dict lacks, or the other way round, are an error
     *               (as in PyTorch, a shape that differs is an error either way)
     * @return the names that did not match, which only a non-strict load can leave
     * @throws IllegalArgumentException naming every missing, unexpected and mis-shaped entry, with the shapes
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        Objects.requireNonNull(state, "state");
        Map<String, Tensor> own = namedState();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        own.forEach((name, t) -> {
            Tensor given = state.get(name);
            if (given == null) {
                missing.add(name);
            } else if (!given.shape().equals(t.shape())) {
                misShaped.add(name + ": " + given.shape() + " in the state dict, " + t.shape() + " in the model");
            }
        });
        state.keySet().stream().filter(name -> !own.containsKey(name)).forEach(unexpected::add);
        List<String> problems = new ArrayList<>();
        if (strict && !missing.isEmpty()) {
            problems.add("missing " + String.join(", ", missing.stream().map(n -> n + " " + own.get(n).shape())
                    .toList()));
        }
        if (strict && !unexpected.isEmpty()) {
            problems.add("unexpected " + String.join(", ", unexpected));
        }
        if (!misShaped.isEmpty()) {
            problems.add("shapes differ for " + String.join("; ", misShaped));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the state dict does not fit this " + getClass().getSimpleName() + ": "
                    + String.join("; ", problems) + ". Nothing was loaded: build the model the state was saved from"
                    + (strict ? ", or load with strict = false to skip missing and unexpected names" : ""));
        }
        own.forEach((name, t) -> {
            Tensor given = state.get(name);
            if (given != null) {
                System.arraycopy(given.data(), 0, t.data(), 0, t.size());
            }
        });
        return new LoadResult(missing, unexpected);
    }

    /** The direct sub-modules by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all below it by path ({@code ""} for this one, then {@code "0"}, {@code "1.fc"}, …). */
    public final Map<String, Module> namedModules() {
        Map<String, Module> out = new LinkedHashMap<>();
        walk("", out);
        return Collections.unmodifiableMap(out);
    }

    private void walk(String path, Map<String, Module> out) {
        out.put(path, this);
        children.forEach((name, m) -> m.walk(path.isEmpty() ? name : path + "." + name, out));
    }

    /** Total number of trainable values. */
    public final long parameterCount() {
        long n = 0;
        for (Tensor p : parameters()) {
            n += p.size();
        }
        return n;
    }

    /** Sets the gradient of every parameter to zero. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Switches this module and all sub-modules to training mode; returns this. */
    public final Module train() {
        return train(true);
    }

    /** Switches this module and all sub-modules to evaluation mode (dropout off); returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Sets training mode ({@code true}) or evaluation mode on this module and all below it; returns this. */
    public final Module train(boolean mode) {
        training = mode;
        children.values().forEach(m -> m.train(mode));
        return this;
    }

    /** True in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /** The constructor arguments shown by {@link #toString()}, such as {@code in_features=784}. */
    protected String extraRepr() {
        return "";
    }

    /** The module tree in PyTorch's format, e.g. {@code Sequential(\n  (0): Linear(in_features=64, …)\n)}. */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        if (children.isEmpty()) {
            return name + "(" + extraRepr() + ")";
        }
        StringBuilder sb = new StringBuilder(name).append("(");
        if (!extraRepr().isEmpty()) {
            sb.append("\n  ").append(extraRepr());
        }
        children.forEach((n, m) -> sb.append("\n  (").append(n).append("): ")
                .append(m.toString().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }

    /** A double as Python's {@code repr} writes the usual hyper-parameters: 0.1, 1e-05, 0.001, 1.0. */
    static String pythonFloat(double v) {
        if (v != 0 && Math.abs(v) < 1e-4) {
            String[] parts = Double.toString(v).split("E");
            String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
            int exponent = Integer.parseInt(parts[1]);
            return mantissa + String.format(Locale.ROOT, "e%s%02d", exponent < 0 ? "-" : "+", Math.abs(exponent));
        }
        String plain = BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
