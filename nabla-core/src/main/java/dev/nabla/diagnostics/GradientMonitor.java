package dev.nabla.diagnostics;

import dev.nabla.diagnostics.MonitorRecords.ActivationKind;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.BatchNormStats;
import dev.nabla.diagnostics.MonitorRecords.GlobalNorm;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords.Phase;
import dev.nabla.nn.BatchNorm;
import dev.nabla.nn.HookHandle;
import dev.nabla.nn.LeakyReLU;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sigmoid;
import dev.nabla.nn.Tanh;
import dev.nabla.tensor.Tensor;
import dev.nabla.train.StepMetrics;
import dev.nabla.train.TrainingListener;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Watches the gradients and activations of a model as a {@link dev.nabla.train.Trainer} trains it, without changing
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
 * those steps only) and the fraction of exactly-zero gradient entries; per activation module of the model
 * ({@link Sigmoid}, {@link Tanh}, {@link ReLU}, {@link LeakyReLU}) the mean and standard deviation of its output on
 * the training batch, the fraction of saturated outputs ({@link #SIGMOID_LOW}, {@link #SIGMOID_HIGH},
 * {@link #TANH_LIMIT}) and of dead units; per {@link BatchNorm} layer its running statistics. On every step it
 * records the global gradient norm before and after clipping and watches for the first NaN or ∞: in the forward
 * pass, the first module (in the order they run) whose output holds one; in the backward pass, the first parameter
 * whose gradient holds one, in the order backward computes them, from the output back to the input.
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
    private final Map<String, ActivationKind> activations = new LinkedHashMap<>();
    private final Map<String, BatchNorm> batchNorms = new LinkedHashMap<>();
    private final List<HookHandle> hooks = new ArrayList<>();
    private final List<GradientStats> gradients = new ArrayList<>();
    private final List<ActivationStats> outputs = new ArrayList<>();
    private final List<BatchNormStats> runningStats = new ArrayList<>();
    private final List<GlobalNorm> norms = new ArrayList<>();
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
                    java.util.Arrays.stream(p.shape().dims()).boxed().toList()));
            tensors.add(p);
        });
        Map<Module, String> paths = new IdentityHashMap<>();
        modules.forEach((path, m) -> {
            paths.put(m, path);
            ActivationKind kind = kindOf(m);
            if (kind != null) {
                activations.put(path, kind);
            }
            if (m instanceof BatchNorm bn && bn.runningMean() != null) {
                batchNorms.put(path, bn);
            }
            if (m.children().isEmpty()) {
                hooks.add(m.addForwardHook((module, in, out) -> afterForward(paths.get(module), module, in, out)));
            }
        });
    }

    /** Attaches a monitor that records every {@value #DEFAULT_EVERY} steps. */
    public static GradientMonitor attach(Module model) {
        return attach(model, DEFAULT_EVERY);
    }

    /** Attaches a monitor that records on steps 1, 1 + every, 1 + 2·every, …; pass it to the trainer as a listener. */
    public static GradientMonitor attach(Module model, int every) {
        return new GradientMonitor(model, every);
    }

    private static ActivationKind kindOf(Module m) {
        return switch (m) {
            case Sigmoid s -> ActivationKind.SIGMOID;
            case Tanh t -> ActivationKind.TANH;
            case ReLU r -> ActivationKind.RELU;
            case LeakyReLU l -> ActivationKind.LEAKY_RELU;
            default -> null;
        };
    }

    private boolean recording() {
        return (step - 1) % every == 0;
    }

    private void afterForward(String path, Module module, Tensor in, Tensor out) {
        if (!module.isTraining()) {
            return;
        }
        float[] y = out.data();
        if (nonFinite == null) {
            int at = firstNonFinite(y);
            if (at >= 0) {
                String input = firstNonFinite(in.data()) >= 0 ? "; its input was non-finite already" : "";
                nonFinite = new NonFinite(step, Phase.FORWARD, path, module.getClass().getSimpleName() + " output: "
                        + describe(y[at]) + " at index " + at + input);
            }
        }
        ActivationKind kind = activations.get(path);
        if (kind != null && recording()) {
            outputs.add(ActivationMath.stats(step, path, kind, y, out.rank() == 0 ? 1 : out.dim(0)));
        }
    }

    @Override
    public void afterBackward(long globalStep) {
        step = globalStep;
        if (nonFinite == null) {
            for (int i = tensors.size() - 1; i >= 0; i--) {
                Tensor g = tensors.get(i).grad();
                int at = g == null ? -1 : firstNonFinite(g.data());
                if (at >= 0) {
                    nonFinite = new NonFinite(step, Phase.BACKWARD, parameters.get(i).name(),
                            "gradient " + describe(g.data()[at]) + " at index " + at);
                    break;
                }
            }
        }
        if (!recording()) {
            return;
        }
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
        return new MonitorRecords(every, parameters, activations, gradients, outputs, runningStats, norms, nonFinite);
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

    private static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                return i;
            }
        }
        return -1;
    }

    private static String describe(float v) {
        return Float.isNaN(v) ? "NaN" : v > 0 ? "+∞" : "−∞";
    }
}
