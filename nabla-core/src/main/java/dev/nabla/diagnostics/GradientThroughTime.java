package dev.nabla.diagnostics;

import static dev.nabla.tensor.Numbers.sci;

import dev.nabla.diagnostics.Diagnosis.Finding;
import dev.nabla.diagnostics.Diagnosis.Verdict;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.Module;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * How much of the loss's gradient reaches each time step of a sequence model's input: ‖∂L/∂x_t‖ for t = 1..T, the
 * gradient-flow profile through time, and its verdict.
 *
 * <p><b>Why it vanishes.</b> Going back one step, a recurrent layer multiplies the gradient by the Jacobian
 * ∂h_t/∂h_{t−1}: for a plain RNN, diag(1 − h_t²)·W_hh, whose size is below 1 when the weights are small and tanh is
 * away from 0. Over T − 1 steps these factors compound, so the loss, read from the last hidden state, barely reaches
 * the first inputs: the network cannot learn what they say. An LSTM carries its cell state forward by addition,
 * c_t = f ⊙ c_{t−1} + i ⊙ g, so the gradient back through the cell is multiplied only by the forget gate f; with
 * its bias near 0 at initialisation f ≈ σ(0) = 1/2 and the gradient still halves at every step, while a forget-gate
 * bias of 1 makes f ≈ 0.73 and lets far more of it through (Gers et al. 2000; Jozefowicz et al. 2015). A GRU's update
 * gate z plays the same part: h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
 *
 * <p>The verdict uses the thresholds of the layer-wise {@link Diagnosis}: vanishing when the first step's gradient is
 * below {@link Diagnosis#VANISHING_RATIO} times the last step's, exploding when it is more than
 * {@link Diagnosis#EXPLODING_GROWTH} times it (it grew on the way back) or when a norm is not finite.
 *
 * @param loss  the loss of the batch it was measured on
 * @param steps ‖∂L/∂x_t‖ for t = 1..T (Frobenius over the batch and the features, summed in double)
 */
public record GradientThroughTime(double loss, double[] steps) {
    /** Copies {@code steps}. */
    public GradientThroughTime {
        steps = steps.clone();
    }

    @Override
    public double[] steps() {
        return steps.clone();
    }

    /** ‖∂L/∂x_1‖ / ‖∂L/∂x_T‖: how much of the gradient at the last step reaches the first. */
    public double ratioFirstLast() {
        return steps[0] / steps[steps.length - 1];
    }

    /**
     * The size factor per step back, (‖∂L/∂x_1‖ / ‖∂L/∂x_T‖)^(1/(T−1)): below 1 the gradient shrinks at every step.
     */
    public double perStep() {
        return steps.length < 2 ? Double.NaN : Math.pow(ratioFirstLast(), 1.0 / (steps.length - 1));
    }

    /**
     * Runs one forward and backward pass of {@code model} on {@code x} under cross-entropy with {@code labels}, and
     * measures the gradient that reaches each of the {@code steps} time steps of the input. The model's parameter
     * gradients are zeroed before and after, so that nothing of this pass is left for an optimizer.
     *
     * @param model  a classifier that reads {@code x} as a batch-first sequence, e.g. an
     *               {@link dev.nabla.nn.RecurrentClassifier}
     * @param x      {@code [N, steps·F]} or {@code [N, steps, F]}
     * @param labels the class of each sample
     * @param steps  the number of time steps T
     */
    public static GradientThroughTime measure(Module model, Tensor x, int[] labels, int steps) {
        model.zeroGrad();
        Tensor input = x.detach().copy().requiresGrad(true);
        Tensor loss = new CrossEntropyLoss().apply(model.call(input), labels);
        loss.backward();
        GradientThroughTime profile = new GradientThroughTime(loss.item(), stepNorms(input.grad(), steps));
        model.zeroGrad();
        return profile;
    }

    /**
     * ‖∂L/∂x_t‖ for each of {@code steps} time steps, from the gradient of a batch-first input ({@code [N, T·F]} or
     * {@code [N, T, F]}): the Frobenius norm over the batch and the features of each step, summed in double.
     */
    public static double[] stepNorms(Tensor inputGradient, int steps) {
        int n = inputGradient.dim(0);
        int perSample = inputGradient.size() / Math.max(n, 1);
        if (steps < 1 || perSample % steps != 0) {
            throw new IllegalArgumentException("a gradient of shape " + inputGradient.shape() + " does not split into "
                    + steps + " time steps per sample: give the number of steps the model reads");
        }
        int features = perSample / steps;
        float[] g = inputGradient.data();
        double[] sq = new double[steps];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                int base = i * perSample + t * features;
                for (int f = 0; f < features; f++) {
                    sq[t] += (double) g[base + f] * g[base + f];
                }
            }
        }
        return Arrays.stream(sq).map(Math::sqrt).toArray();
    }

    /** The subject of the verdict through time, beside the layers' and the network's. */
    public static final String SUBJECT = "time";

    /** The verdict on this profile, with the evidence, the reason and the fix for a model whose first recurrent
     * layer is {@code layer}. */
    public Finding diagnose(Recurrent layer) {
        return diagnose(RecurrentSpec.Kind.of(layer), layer.options().forgetBias());
    }

    /**
     * The verdict on this profile, with the evidence, the reason and the fix.
     *
     * @param kind       the model's first recurrent layer
     * @param forgetBias an LSTM's forget-gate bias at initialisation, or NaN for PyTorch's initialisation
     */
    public Finding diagnose(RecurrentSpec.Kind kind, double forgetBias) {
        double ratio = ratioFirstLast();
        int t = steps.length;
        String evidence = "‖∂L/∂x_1‖ = " + sci(steps[0]) + ", ‖∂L/∂x_" + t + "‖ = " + sci(steps[t - 1]) + ": ratio "
                + sci(ratio) + ", a factor " + sci(perStep()) + " per step back";
        if (!Double.isFinite(ratio) || ratio > Diagnosis.EXPLODING_GROWTH) {
            return new Finding(SUBJECT, Verdict.EXPLODING, evidence + (Double.isFinite(ratio) ? " (above "
                    + sci(Diagnosis.EXPLODING_GROWTH) + ")" : ""), "Each step back multiplies the gradient by the "
                    + "recurrent Jacobian; when its size is above 1 the gradient grows geometrically towards the "
                    + "first steps, and one large step of the optimizer can wreck the weights.",
                    "Clip the gradient norm (e.g. --clip-norm 1), lower the learning rate, or use an LSTM or GRU, "
                    + "whose gates bound the Jacobian.");
        }
        if (ratio < Diagnosis.VANISHING_RATIO) {
            return new Finding(SUBJECT, Verdict.VANISHING, evidence + " (below " + sci(Diagnosis.VANISHING_RATIO)
                    + ")", vanishingReason(kind, forgetBias, t), vanishingFix(kind, forgetBias));
        }
        return new Finding(SUBJECT, Verdict.HEALTHY, evidence, "The gradient reaches the first time steps at a "
                + "scale comparable with the last, so the model can learn from the whole sequence.", "");
    }

    private static String vanishingReason(RecurrentSpec.Kind kind, double forgetBias, int t) {
        String why = switch (kind) {
            case RNN -> "A plain RNN multiplies the gradient by diag(f′)·W_hh at every step back; at this size "
                    + "that factor is below 1";
            case LSTM -> "The gradient back through the LSTM's cell is multiplied by the forget gate f at every "
                    + "step; " + (Double.isNaN(forgetBias) ? "with its bias near 0, f ≈ σ(0) = 1/2"
                    : "its bias of " + sci(forgetBias) + " still lets it shrink");
            case GRU -> "The gradient back through a GRU is multiplied by its update gate z at every step; with "
                    + "its bias near 0, z ≈ 1/2";
        };
        return why + ", and over " + (t - 1) + " steps the factors compound: the loss barely reaches the first "
                + "inputs, so the model cannot learn from them.";
    }

    private static String vanishingFix(RecurrentSpec.Kind kind, double forgetBias) {
        return switch (kind) {
            case RNN -> "Use an LSTM (with its forget-gate bias at 1: lstm,forget-bias=1) or a GRU, whose additive "
                    + "state carries the gradient back; or shorter sequences.";
            case LSTM -> Double.isNaN(forgetBias)
                    ? "Start the forget-gate bias at 1 (lstm,forget-bias=1; --forget-bias 1 in nabla train), so that "
                    + "the cell keeps its state, and the gradient through it, from the start."
                    : "Raise the forget-gate bias further, or shorten the sequences.";
            case GRU -> "Use an LSTM with its forget-gate bias at 1 (lstm,forget-bias=1), or shorten the sequences.";
        };
    }
}
