package dev.nabla.ops;

import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * Argument checks shared by the loss ops. A NaN reaching a loss is reported where it enters, with its position,
 * instead of turning the loss and every gradient into NaN silently.
 */
final class LossChecks {
    private LossChecks() {
    }

    /** Fails on the first NaN in {@code t}, naming the op, the argument and the position. */
    static void noNaN(String op, String what, Tensor t) {
        int i = Elementwise.firstNaN(t.data());
        if (i >= 0) {
            throw new IllegalArgumentException(op + ": " + what + " has NaN at " + position(t, i) + " (shape "
                    + t.shape() + "). A NaN model output usually means training diverged: lower the learning "
                    + "rate or clip gradients; a NaN in the data must be cleaned before training.");
        }
    }

    /**
     * The checks of an element-wise loss: one target per input value, and no NaN in either. Input first, since a
     * NaN model output is the likelier one.
     */
    static void inputAndTarget(String op, Tensor input, Tensor target) {
        sameShape(op, input, target);
        noNaN(op, "input", input);
        noNaN(op, "target", target);
    }

    /** Fails unless both tensors have the same shape. */
    static void sameShape(String op, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": target shape " + target.shape() + " differs from input shape "
                    + input.shape() + ": give one target per input value");
        }
    }

    /** Fails unless {@code weight} is null or has {@code classes} entries. */
    static void classWeights(String op, Tensor weight, int classes) {
        if (weight != null && (weight.rank() != 1 || weight.dim(0) != classes)) {
            throw new IllegalArgumentException(op + ": class weight " + weight.shape() + " must be [" + classes
                    + "], one weight per class");
        }
    }

    /**
     * Where class-index target p sits: {@code row 5} for logits {@code [N, C]}, else its index in the targets'
     * shape {@code [N, d1, …]}, as {@code position [1, 2] of the targets [2, 4]}.
     */
    static String targetPosition(Shape logits, int p) {
        if (logits.rank() == 2) {
            return "row " + p;
        }
        Shape targets = Axis.of(logits, 1).without(logits);
        return "position " + Arrays.toString(targets.position(p)) + " of the targets " + targets;
    }

    /** Where flat index {@code flat} of {@code t} sits, as {@code [2, 3]}. */
    static String position(Tensor t, int flat) {
        return Arrays.toString(t.shape().position(flat));
    }

    /** The scalar result of a reduced loss, or the per-element losses for {@link Reduction#NONE}. */
    static Tensor reduce(float[] perElement, Shape shape, Reduction reduction, double divisor) {
        if (reduction == null) {
            // NOTE: checked here, where every loss passes: a null would otherwise be taken as MEAN by the forward
            // pass and fail in the backward pass
            throw new NullPointerException("reduction is null: use Reduction.MEAN, SUM or NONE (or BATCHMEAN for the KL "
                    + "divergence)");
        }
        if (reduction == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException("reduction BATCHMEAN is for the KL divergence only: use MEAN, SUM or NONE");
        }
        if (reduction == Reduction.NONE) {
            return Tensor.wrap(perElement, shape);
        }
        double sum = 0;
        for (float v : perElement) {
            sum += v;
        }
        return Tensor.scalar((float) (reduction == Reduction.SUM ? sum : sum / divisor));
    }

    /** dL/d(per-element loss i) for the upstream gradient g: g[i] without reduction, else g/divisor or g. */
    static float upstream(Tensor g, int i, Reduction reduction, double divisor) {
        return switch (reduction) {
            case NONE -> g.data()[i];
            case SUM -> g.data()[0];
            default -> (float) (g.data()[0] / divisor);
        };
    }
}
