package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * The differentiable operations, as static functions (PyTorch's {@code torch.nn.functional}). Each call runs
 * one op of this package and, when an input requires a gradient, records it for {@code backward()}.
 * Shapes: {@code N} rows (samples), {@code C} or {@code in}/{@code out} columns (features).
 *
 * <pre>{@code
 * import static dev.nabla.ops.Functional.*;
 * Tensor loss = crossEntropy(linear(relu(linear(x, w1, b1)), w2, b2), labels);
 * }</pre>
 */
public final class Functional {
    /** PyTorch's default negative slope for {@link #leakyRelu(Tensor)}. */
    public static final float DEFAULT_LEAKY_SLOPE = 0.01f;
    /** PyTorch's default {@code ignore_index}: a target that no class index equals. */
    public static final int DEFAULT_IGNORE_INDEX = -100;

    private Functional() {
    }

    /** {@code a · b}: a {@code [N, K]}, b {@code [K, M]} → {@code [N, M]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        return Function.apply(new MatMul(), a, b);
    }

    /** {@code x · Wᵀ + b}: x {@code [N, in]}, weight {@code [out, in]}, bias {@code [out]} or null → {@code [N, out]}. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Function.apply(new Affine(), x, weight, bias);
    }

    /** {@code x + y}; y of x's shape, or one row {@code [C]} added to every row of x {@code [N, C]}. */
    public static Tensor add(Tensor x, Tensor y) {
        return Function.apply(new Add(), x, y);
    }

    /** {@code x − y}; y of x's shape, or one row subtracted from every row. */
    public static Tensor sub(Tensor x, Tensor y) {
        return Function.apply(new Sub(), x, y);
    }

    /** {@code x ⊙ y} element-wise; y of x's shape, or one row scaling every row. */
    public static Tensor mul(Tensor x, Tensor y) {
        return Function.apply(new Mul(), x, y);
    }

    /** The sum of all values, a scalar. */
    public static Tensor sum(Tensor x) {
        return Function.apply(new Sum(), x);
    }

    /** The mean of all values, a scalar. */
    public static Tensor mean(Tensor x) {
        return Function.apply(new Mean(), x);
    }

    /** {@code 1/(1 + e^−x)} element-wise. */
    public static Tensor sigmoid(Tensor x) {
        return Function.apply(new Sigmoid(), x);
    }

    /** {@code tanh(x)} element-wise. */
    public static Tensor tanh(Tensor x) {
        return Function.apply(new Tanh(), x);
    }

    /** {@code max(x, 0)} element-wise. */
    public static Tensor relu(Tensor x) {
        return Function.apply(new Relu(), x);
    }

    /** Leaky ReLU with slope 0.01 for negative inputs. */
    public static Tensor leakyRelu(Tensor x) {
        return leakyRelu(x, DEFAULT_LEAKY_SLOPE);
    }

    /** {@code x} where positive, {@code slope · x} elsewhere. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        return Function.apply(new LeakyRelu(slope), x);
    }

    /** Softmax over the last dimension: each row becomes a probability distribution. */
    public static Tensor softmax(Tensor x) {
        return softmax(x, -1);
    }

    /** Softmax along dimension {@code dim} (negative counts from the end), computed stably. */
    public static Tensor softmax(Tensor x, int dim) {
        return Function.apply(new Softmax(dim), x);
    }

    /** Log-softmax over the last dimension, computed stably (never as log(softmax)). */
    public static Tensor logSoftmax(Tensor x) {
        return logSoftmax(x, -1);
    }

    /** Log-softmax along dimension {@code dim}, computed stably (never as log(softmax)). */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return Function.apply(new LogSoftmax(dim), x);
    }

    /**
     * Mean cross-entropy between logits {@code [N, C]} and class indices {@code targets[N]} in {@code [0, C)}.
     *
     * @throws IllegalArgumentException for a target outside the class range, naming the row
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return crossEntropy(logits, targets, null, DEFAULT_IGNORE_INDEX, 0f, Reduction.MEAN);
    }

    /**
     * Cross-entropy from logits with class-index targets, as PyTorch's {@code cross_entropy}.
     *
     * @param logits         {@code [N, C]} or {@code [N, C, d1, …]}, classes along dimension 1
     * @param targets        one class index per position of {@code [N, d1, …]}, row-major
     * @param weight         {@code [C]} class weights, or null
     * @param ignoreIndex    positions with this target add nothing to the loss, the gradient or the mean's divisor
     * @param labelSmoothing ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C
     * @param reduction      {@link Reduction#MEAN} (weighted), {@link Reduction#SUM} or {@link Reduction#NONE}
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, Tensor weight, int ignoreIndex,
                                      float labelSmoothing, Reduction reduction) {
        return Function.apply(new SoftmaxCrossEntropy(targets.clone(), weight, ignoreIndex, labelSmoothing,
                reduction), logits);
    }

    /**
     * Cross-entropy from logits with probability targets of the logits' shape (soft labels), as PyTorch's
     * {@code cross_entropy} with a floating-point target; the mean divides by the number of positions.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targetProbabilities, Tensor weight, float labelSmoothing,
                                      Reduction reduction) {
        return Function.apply(new SoftmaxCrossEntropy(null, weight, DEFAULT_IGNORE_INDEX, labelSmoothing, reduction),
                logits, targetProbabilities);
    }

    /** Negative log-likelihood of log-probabilities {@code [N, C, …]} at class indices, as PyTorch's {@code nll_loss}. */
    public static Tensor nllLoss(Tensor logProbabilities, int[] targets, Tensor weight, int ignoreIndex,
                                 Reduction reduction) {
        return Function.apply(new NllLoss(targets.clone(), weight, ignoreIndex, reduction), logProbabilities);
    }

    /**
     * KL(target ‖ q) from log-probabilities {@code input = log q}, as PyTorch's {@code kl_div}; use
     * {@link Reduction#BATCHMEAN} for the divergence per sample.
     *
     * @param logTarget true when {@code target} holds log-probabilities
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return Function.apply(new KlDiv(reduction, logTarget), input, target);
    }

    /**
     * Binary cross-entropy on logits, computed stably, as PyTorch's {@code binary_cross_entropy_with_logits}.
     *
     * @param weight    per-element weight of the input's shape or one per last-dimension entry, or null
     * @param posWeight weight of the positive class, one per last-dimension entry (or the input's shape), or null
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        return Function.apply(new BceWithLogits(reduction), logits, target, weight, posWeight);
    }

    /** Binary cross-entropy on probabilities in [0, 1], as PyTorch's {@code binary_cross_entropy}; weight may be null. */
    public static Tensor binaryCrossEntropy(Tensor probabilities, Tensor target, Tensor weight, Reduction reduction) {
        return Function.apply(new Bce(reduction), probabilities, target, weight);
    }

    /** Squared error, as PyTorch's {@code mse_loss}. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Function.apply(new Mse(reduction), input, target);
    }

    /**
     * Inverted dropout with drop probability {@code p}, drawing its mask from {@code rng}; the identity when
     * {@code training} is false.
     */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1], got " + p);
        }
        if (!training || p == 0f) {
            return x;
        }
        return Function.apply(new Dropout(p, rng), x);
    }
}
