package dev.nabla.diagnostics;

import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link GradientMonitor} recorded during a run: plain data, the input of {@link Diagnosis} and of reports.
 * Steps are 1-based and counted over the whole run. Figures that do not apply are NaN (the saturation of a ReLU,
 * the update ratio of a step that never finished).
 *
 * @param every       the monitor recorded the per-parameter and per-activation figures on steps 1, 1 + every, …
 * @param parameters  the model's parameters, in the model's order (the input side first)
 * @param activations the activation modules by path, in the model's order, with their kind
 * @param gradients   per recorded step and parameter
 * @param outputs     per recorded step and activation module
 * @param batchNorms  per recorded step and batch normalisation layer
 * @param norms       the global gradient norm of every step, before and after clipping
 * @param nonFinite   the first NaN or ∞ seen in a forward or backward pass, or {@code null}
 * @param times       per recorded step, the gradient reaching each time step of a recurrent model's input (empty for
 *                    other models)
 */
public record MonitorRecords(int every, List<Parameter> parameters, Map<String, Activation> activations,
        List<GradientStats> gradients, List<ActivationStats> outputs, List<BatchNormStats> batchNorms,
        List<GlobalNorm> norms, NonFinite nonFinite, List<TimeStats> times) {

    public MonitorRecords {
        times = List.copyOf(times);
        parameters = List.copyOf(parameters);
        activations = Collections.unmodifiableMap(new LinkedHashMap<>(activations));
        gradients = List.copyOf(gradients);
        outputs = List.copyOf(outputs);
        batchNorms = List.copyOf(batchNorms);
        norms = List.copyOf(norms);
    }

    /** The records of a model without recurrent layers: no gradient through time. */
    public MonitorRecords(int every, List<Parameter> parameters, Map<String, Activation> activations,
            List<GradientStats> gradients, List<ActivationStats> outputs, List<BatchNormStats> batchNorms,
            List<GlobalNorm> norms, NonFinite nonFinite) {
        this(every, parameters, activations, gradients, outputs, batchNorms, norms, nonFinite, List.of());
    }

    /** Where a non-finite value appeared. */
    public enum Phase { FORWARD, BACKWARD }

    /**
     * One parameter of the model.
     *
     * @param name       its path, such as {@code 0.weight}
     * @param module     the path of the module that owns it, such as {@code 0}
     * @param moduleType that module's class, such as {@code Linear}
     * @param shape      its shape, such as {@code [256, 64]} for a weight {@code [out, in]}
     */
    public record Parameter(String name, String module, String moduleType, List<Integer> shape) {
        public Parameter {
            shape = List.copyOf(shape);
        }

        /** True for a weight matrix (rank ≥ 2), the parameters whose gradients the diagnosis compares. */
        public boolean isWeight() {
            return shape.size() >= 2;
        }

        /** The first dimension: a weight's output features. */
        public int rows() {
            return shape.isEmpty() ? 1 : shape.get(0);
        }
    }

    /**
     * One parameter at one recorded step.
     *
     * @param step             the step
     * @param name             the parameter's path
     * @param gradNorm         ‖g‖₂ of its gradient after backward, before clipping (in double)
     * @param paramNorm        ‖w‖₂ before the optimizer step
     * @param updateRatio      ‖Δw‖₂ / ‖w‖₂ of the optimizer step; NaN when the step did not complete, ∞ when w = 0
     * @param zeroGradFraction the fraction of its gradient entries that are exactly 0
     */
    public record GradientStats(long step, String name, double gradNorm, double paramNorm, double updateRatio,
            double zeroGradFraction) {
        GradientStats withUpdateRatio(double ratio) {
            return new GradientStats(step, name, gradNorm, paramNorm, ratio, zeroGradFraction);
        }
    }

    /**
     * One activation module's output at one recorded step (a training batch).
     *
     * @param step              the step
     * @param module            the module's path
     * @param kind              its kind
     * @param mean              the mean of its output
     * @param std               the standard deviation of its output (population)
     * @param saturatedFraction the fraction of outputs in the saturated zone (sigmoid, tanh; NaN otherwise)
     * @param deadFraction      the fraction of units (features, or the channels of feature maps, each dead only
     *                          when 0 at every position) that are 0 for every sample of the batch (ReLU; NaN
     *                          otherwise)
     */
    public record ActivationStats(long step, String module, Activation kind, double mean, double std,
            double saturatedFraction, double deadFraction) {
    }

    /**
     * A batch normalisation layer's running statistics after a recorded step.
     *
     * @param step        the step
     * @param module      the layer's path
     * @param meanOfMean  the average over channels of {@code running_mean}
     * @param meanOfVar   the average over channels of {@code running_var}
     */
    public record BatchNormStats(long step, String module, double meanOfMean, double meanOfVar) {
    }

    /**
     * The global L2 norm of all gradients at one step.
     *
     * @param step    the step
     * @param before  after backward, before clipping
     * @param after   what the optimizer used: after clipping, or {@code before} without it
     */
    public record GlobalNorm(long step, double before, double after) {
    }

    /**
     * The gradient that reached each time step of a recurrent model's input at one recorded step.
     *
     * @param step       the step
     * @param kind       the model's first recurrent layer
     * @param forgetBias an LSTM's forget-gate bias at initialisation, or NaN
     * @param norms      ‖∂L/∂x_t‖ for t = 1..T
     */
    public record TimeStats(long step, RecurrentSpec.Kind kind, double forgetBias, List<Double> norms) {
        public TimeStats {
            norms = List.copyOf(norms);
        }

        /** The profile these norms make, for its ratio and verdict (the loss is not recorded: NaN). */
        public GradientThroughTime profile() {
            return new GradientThroughTime(Double.NaN, norms.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * The first NaN or ∞ of the run.
     *
     * @param step   the step
     * @param phase  {@code FORWARD}: the first module whose output held one; {@code BACKWARD}: the first parameter
     *               whose gradient held one, in the order backward computes them (from the output to the input)
     * @param where  the module's or parameter's path
     * @param detail what it was, e.g. {@code Linear output: NaN at index 17} or {@code its input was non-finite already}
     */
    public record NonFinite(long step, Phase phase, String where, String detail) {
        /** {@code module 4} or {@code parameter 38.weight}. */
        public String place() {
            return (phase == Phase.FORWARD ? "module " : "parameter ") + (where.isEmpty() ? "(the model)" : where);
        }
    }
}
