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
        return Function.apply(new Softmax(), x);
    }

    /** Log-softmax over the last dimension, computed stably (never as log(softmax)). */
    public static Tensor logSoftmax(Tensor x) {
        return Function.apply(new LogSoftmax(), x);
    }

    /**
     * Mean cross-entropy between logits {@code [N, C]} and class indices {@code targets[N]} in {@code [0, C)}.
     *
     * @throws IllegalArgumentException for a target outside the class range, naming the row
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets) {
        return Function.apply(new SoftmaxCrossEntropy(targets.clone()), logits);
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
