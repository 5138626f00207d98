package dev.nabla.diagnostics;

import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.BatchNormStats;
import dev.nabla.diagnostics.MonitorRecords.GlobalNorm;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords.Phase;
import dev.nabla.diagnostics.MonitorRecords.TimeStats;
import dev.nabla.nn.ActivationLayer;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.HookHandle;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.OutputHook;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.RecurrentClassifier;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.ops.Activation;
import dev.nabla.ops.Checks;
import dev.nabla.tensor.GradMode;
import dev.nabla.tensor.Numbers;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.StepMetrics;
import dev.nabla.train.Trainer;
import dev.nabla.train.TrainingListener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches the gradients and activations of a model as a {@link Trainer} trains it, without changing
 * the model: forward hooks on its layers and a training listener.
 *
 * <pre>{@code
 * try (var monitor = GradientMonitor.attach(model, 10)) {
 *     Trainer.builder(model, optimizer).listener(monitor).build().fit(train, test);
 *     Diagnosis diagnosis = Diagnosis.of(monitor.records());
 * }
 * }</pre>
 *
 * <p>On steps 1, 1 + k, 1 + 2k, … (k = {@code every}) it records, per parameter, the gradient norm, the parameter
 * norm, the update ratio ‖Δw‖/‖w‖ of the optimizer step (for which it copies the parameters before the step, on
 * those steps only) and the fraction of exactly-zero gradient entries; per activation layer of the model
 * ({@link ActivationLayer}) the mean and standard deviation of its output on the training batch, the fraction of
 * saturated outputs ({@link #SIGMOID_LOW}, {@link #SIGMOID_HIGH}, {@link #TANH_LIMIT}) and of dead units; per
 * {@link BatchNorm} layer its running statistics; for a {@link RecurrentClassifier}, the gradient that reaches each
 * time step of the input, ‖∂L/∂x_t‖ (see {@link GradientThroughTime}: an input hook hands the model a copy of the
 * batch that requires a gradient, on those steps only). On every step it records the global gradient norm before and
 * after clipping and watches for the first NaN or ∞: in the forward pass, the first module (in the order they run)
 * whose output holds one; in the backward pass, the first parameter whose gradient holds one, in the order
 * backward computes them, from the output back to the input.
 *
 * <p><b>Note:</b> the monitor leaves the model's fast path alone. An activation's statistics need its output only,
 * so it watches activations through {@link OutputHook}s, and it puts no hook on a {@link Linear} (or a
 * {@link BatchNorm} before a ReLU) that {@link Sequential} runs as one op with the activation after it
 * ({@link Sequential#fusesWithNext}): such a layer's output never exists. A NaN or ∞ in the activation's output is
 * reported as that layer's, since relu, sigmoid and tanh turn finite inputs into finite outputs, so the layer made it; the index is the first one the
 * activation let through (sigmoid and tanh turn ±∞ into ±1, relu turns −∞ into 0).
 *
 * <p>Evaluation passes (the model in {@code eval()} mode) are not recorded. Norms are accumulated in double, since
 * the squares of large float32 gradients overflow float32. The monitor is for one run: attach a new one per fit.
 */
public final class GradientMonitor implements TrainingListener, AutoCloseable {
    /** The default recording interval in steps. */
    public static final int DEFAULT_EVERY = 10;
    /** A sigmoid output below this is saturated: σ′ = σ(1 − σ) &lt; 0.0099 there. */
    public static final double SIGMOID_LOW = 0.01;
    /** A sigmoid output above this is saturated. */
    public static final double SIGMOID_HIGH = 0.99;
    /** A tanh output beyond ± this is saturated: tanh′ = 1 − tanh² &lt; 0.02 there. */
    public static final double TANH_LIMIT = 0.99;

    private final int every;
    private final List<Parameter> parameters = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, Activation> activations = new LinkedHashMap<>();
    private final Map<String, BatchNorm> batchNorms = new LinkedHashMap<>();
    private final List<HookHandle> hooks = new ArrayList<>();
    private final List<GradientStats> gradients = new ArrayList<>();
    private final List<ActivationStats> outputs = new ArrayList<>();
    private final List<BatchNormStats> runningStats = new ArrayList<>();
    private final List<GlobalNorm> norms = new ArrayList<>();
    private final List<TimeStats> times = new ArrayList<>();
    private RecurrentClassifier sequenceModel;
    private Tensor watchedInput;
    private NonFinite nonFinite;
    private long step = 1;
    private float[][] before;
    private int pendingFrom = -1;

    private GradientMonitor(Module model, int every) {
        if (every < 1) {
            throw new IllegalArgumentException("a monitor records every k steps with k >= 1, got " + every);
        }
        this.every = every;
        Map<String, Module> modules = model.namedModules();
        model.namedParameters().forEach((name, p) -> {
            int dot = name.lastIndexOf('.');
            String owner = dot < 0 ? "" : name.substring(0, dot);
            parameters.add(new Parameter(name, owner, modules.get(owner).getClass().getSimpleName(),
                    Arrays.stream(p.shape().dims()).boxed().toList()));
            tensors.add(p);
        });
        Map<String, String> fusedBefore = fusedPairs(modules);
        modules.forEach((path, m) -> {
            String type = m.getClass().getSimpleName();
            if (m instanceof ActivationLayer a) {
                activations.put(path, a.function());
                // a Linear or BatchNorm run as one op with this activation has no output of its own: what this output
                // holds, it made
                String maker = fusedBefore.getOrDefault(path, path);
                String makerType = modules.get(maker).getClass().getSimpleName();
                hooks.add(m.addOutputHook((module, out) -> afterActivation(path, a.function(), maker, makerType,
                        module, out)));
            } else if (m.children().isEmpty() && !fusedBefore.containsValue(path)) {
                hooks.add(m.addForwardHook((module, in, out) -> {
                    if (module.isTraining()) {
                        checkForward(path, type, in, out);
                    }
                }));
            }
            if (m instanceof BatchNorm bn && bn.runningMean() != null) {
                batchNorms.put(path, bn);
            }
        });
        if (model instanceof RecurrentClassifier classifier) {
            sequenceModel = classifier;
            hooks.add(model.addInputHook(this::watchInput));
        }
    }

    /** On a recording training step, a copy of the batch that requires a gradient, to read ∂L/∂x from after backward. */
    private Tensor watchInput(Module module, Tensor x) {
        if (!module.isTraining() || !recording() || !GradMode.isEnabled()) {
            return x;
        }
        watchedInput = x.detach().copy().requiresGrad(true);
        return watchedInput;
    }

    /**
     * The Linears and BatchNorms that {@link Sequential} runs as one op with the activation after them, by the
     * activation's path: {@code "1" → "0"} for {@code Sequential(Linear, ReLU, …)}, under the children's names.
     */
    private static Map<String, String> fusedPairs(Map<String, Module> modules) {
        Map<String, String> pairs = new HashMap<>();
        modules.forEach((path, m) -> {
            if (m instanceof Sequential seq) {
                String prefix = path.isEmpty() ? "" : path + ".";
                List<String> names = List.copyOf(seq.children().keySet());
                for (int i = 0; i + 1 < seq.size(); i++) {
                    if (seq.fusesWithNext(i)) {
                        pairs.put(prefix + names.get(i + 1), prefix + names.get(i));
                    }
                }
            }
        });
        return pairs;
    }

    /** Attaches a monitor that records every {@value #DEFAULT_EVERY} steps. */
    public static GradientMonitor attach(Module model) {
        return attach(model, DEFAULT_EVERY);
    }

    /** Attaches a monitor that records on steps 1, 1 + every, 1 + 2·every, …; pass it to the trainer as a listener. */
    public static GradientMonitor attach(Module model, int every) {
        return new GradientMonitor(model, every);
    }

    private boolean recording() {
        return (step - 1) % every == 0;
    }

    /**
     * Watches an activation's output on a training step: its NaN or ∞, reported as made by {@code maker} (itself,
     * or the Linear fused with it), and on recording steps its statistics.
     */
    private void afterActivation(String path, Activation function, String maker, String makerType, Module module,
                                 Tensor out) {
        if (!module.isTraining()) {
            return;
        }
        checkForward(maker, makerType, null, out);
        if (recording()) {
            int batch = out.rank() == 0 ? 1 : out.dim(0);
            int units = out.rank() > 2 ? out.dim(1) : out.size() / batch;   // channels of a feature map, else features
            outputs.add(ActivationMath.stats(step, path, function, out.data(), batch, units));
        }
    }

    /**
     * Records the first NaN or ∞ of the forward pass, if {@code out} holds one, as the output of the module at
     * {@code path}, of class {@code type}.
     *
     * @param in the module's input, or null when the hook does not see it
     */
    private void checkForward(String path, String type, Tensor in, Tensor out) {
        if (nonFinite != null) {
            return;
        }
        int at = Checks.firstNonFinite(out);
        if (at >= 0) {
            String input = in != null && !Checks.allFinite(in) ? "; its input was non-finite already" : "";
            nonFinite = new NonFinite(step, Phase.FORWARD, path, type + " output: " + Numbers.nonFinite(out.data()[at])
                    + " at index " + at + input);
        }
    }

    @Override
    public void afterBackward(long globalStep) {
        step = globalStep;
        if (nonFinite == null) {
            for (int i = tensors.size() - 1; i >= 0; i--) {
                Tensor g = tensors.get(i).grad();
                int at = g == null ? -1 : Checks.firstNonFinite(g);
                if (at >= 0) {
                    nonFinite = new NonFinite(step, Phase.BACKWARD, parameters.get(i).name(),
                            "gradient " + Numbers.nonFinite(g.data()[at]) + " at index " + at);
                    break;
                }
            }
        }
        if (!recording()) {
            return;
        }
        if (watchedInput != null && watchedInput.grad() != null) {
            Recurrent first = sequenceModel.layers().get(0);
            double[] perStep = GradientThroughTime.stepNorms(watchedInput.grad(), sequenceModel.steps());
            times.add(new TimeStats(step, RecurrentSpec.Kind.of(first), first.options().forgetBias(),
                    Arrays.stream(perStep).boxed().toList()));
        }
        watchedInput = null;
        pendingFrom = gradients.size();
        before = new float[tensors.size()][];
        for (int i = 0; i < tensors.size(); i++) {
            Tensor p = tensors.get(i);
            before[i] = p.data().clone();
            Tensor g = p.grad();
            double gradNorm = g == null ? 0 : ActivationMath.norm(g.data());
            double zeros = g == null ? 1 : ActivationMath.zeroFraction(g.data());
            gradients.add(new GradientStats(step, parameters.get(i).name(), gradNorm, ActivationMath.norm(before[i]),
                    Double.NaN, zeros));
        }
    }

    @Override
    public void onStep(StepMetrics metrics) {
        step = metrics.globalStep();
        norms.add(new GlobalNorm(step, metrics.gradNorm(), metrics.clippedGradNorm()));
        if (recording()) {
            if (pendingFrom >= 0) {
                for (int i = 0; i < tensors.size(); i++) {
                    GradientStats s = gradients.get(pendingFrom + i);
                    double delta = ActivationMath.distance(tensors.get(i).data(), before[i]);
                    gradients.set(pendingFrom + i, s.withUpdateRatio(delta / s.paramNorm()));
                }
            }
            batchNorms.forEach((path, bn) -> runningStats.add(new BatchNormStats(step,
                    path, ActivationMath.mean(bn.runningMean().data()), ActivationMath.mean(bn.runningVar().data()))));
        }
        pendingFrom = -1;
        before = null;
        step++;
    }

    /** What was recorded so far: a snapshot, unaffected by later steps. */
    public MonitorRecords records() {
        return new MonitorRecords(every, parameters, activations, gradients, outputs, runningStats, norms, nonFinite,
                times);
    }

    /** The recording interval in steps. */
    public int every() {
        return every;
    }

    /** Removes the monitor's hooks from the model; the records stay readable. */
    @Override
    public void close() {
        hooks.forEach(HookHandle::remove);
        hooks.clear();
    }
}
