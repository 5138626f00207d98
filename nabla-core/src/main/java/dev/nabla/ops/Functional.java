package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

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

    /**
     * {@code f(x · Wᵀ + b)}: the same values and gradients as {@code linear} followed by the activation. Relu,
     * sigmoid and tanh ({@link Activation#fusesIntoLinear()}) run in one op with the product, applied to each tile
     * as it is computed, with no tensor for the pre-activation; leaky_relu runs as a second op.
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias, Activation activation) {
        if (!activation.fusesIntoLinear()) {
            return activation.apply(linear(x, weight, bias));
        }
        return Function.apply(new Affine(activation), x, weight, bias);
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

    /** {@code x / y} element-wise; y of x's shape, or one row dividing every row. */
    public static Tensor div(Tensor x, Tensor y) {
        return Function.apply(new Div(), x, y);
    }

    /** {@code eˣ} element-wise. */
    public static Tensor exp(Tensor x) {
        return Function.apply(new Exp(), x);
    }

    /** The natural logarithm, element-wise (−∞ at 0, NaN below). */
    public static Tensor log(Tensor x) {
        return Function.apply(new Log(), x);
    }

    /** {@code ln(1 + x)} element-wise, exact for small x. */
    public static Tensor log1p(Tensor x) {
        return Function.apply(new Log1p(), x);
    }

    /** The square root, element-wise (NaN below 0). */
    public static Tensor sqrt(Tensor x) {
        return Function.apply(new Sqrt(), x);
    }

    /** {@code |x|} element-wise. */
    public static Tensor abs(Tensor x) {
        return Function.apply(new Abs(), x);
    }

    /** {@code xᵖ} element-wise, for a constant exponent. */
    public static Tensor pow(Tensor x, double exponent) {
        return Function.apply(new Pow(exponent), x);
    }

    /** Each value clamped to {@code [min, max]}; an infinite bound is no bound. */
    public static Tensor clamp(Tensor x, double min, double max) {
        return Function.apply(new Clamp(min, max), x);
    }

    /** The largest value over dimension {@code dim} (negative: from the end), dropped or kept as size 1. */
    public static Tensor max(Tensor x, int dim, boolean keepDim) {
        return Function.apply(new MaxAlong(x.shape().normalizeAxis(dim), keepDim, false), x);
    }

    /** The smallest value over dimension {@code dim} (negative: from the end), dropped or kept as size 1. */
    public static Tensor min(Tensor x, int dim, boolean keepDim) {
        return Function.apply(new MaxAlong(x.shape().normalizeAxis(dim), keepDim, true), x);
    }

    /**
     * The variance over dimension {@code dim} (negative: from the end), divided by n − {@code correction}
     * (1: unbiased, PyTorch's default; 0: population), dropped or kept as size 1.
     */
    public static Tensor var(Tensor x, int dim, int correction, boolean keepDim) {
        return Function.apply(new VarAlong(x.shape().normalizeAxis(dim), correction, keepDim), x);
    }

    /** {@code condition ? x : y} element by element; a non-zero entry of {@code condition} is true. */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return Function.apply(new Where(condition), x, y);
    }

    /** x with {@code value} where {@code mask} is non-zero (PyTorch's {@code masked_fill}). */
    public static Tensor maskedFill(Tensor x, Tensor mask, float value) {
        return Function.apply(new Where(mask), Tensor.full(value, x.shape().dims()), x);
    }

    /**
     * {@code x[…, index[…, j, …], …]} along {@code dim} (PyTorch's {@code gather}); {@code index} holds whole
     * numbers, of x's shape but along {@code dim}.
     */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        return Function.apply(new Gather(x.shape().normalizeAxis(dim), index), x);
    }

    /** The entries {@code indices} along {@code dim}, in that order (PyTorch's {@code index_select}). */
    public static Tensor indexSelect(Tensor x, int dim, int... indices) {
        return Function.apply(new IndexSelect(x.shape().normalizeAxis(dim), indices), x);
    }

    /** A batch of matrix products, {@code [B, N, K] · [B, K, M] → [B, N, M]} (PyTorch's {@code bmm}). */
    public static Tensor bmm(Tensor a, Tensor b) {
        return Function.apply(new Bmm(), a, b);
    }

    /** The index of the largest value along {@code dim} for each position (PyTorch's {@code argmax}); no gradient. */
    public static int[] argmax(Tensor x, int dim) {
        MaxAlong max = new MaxAlong(x.shape().normalizeAxis(dim), false, false);
        try (var _ = dev.nabla.autograd.NoGrad.enter()) {
            Function.apply(max, x);
        }
        return max.indices();
    }

    /** The index of the smallest value along {@code dim} for each position (PyTorch's {@code argmin}); no gradient. */
    public static int[] argmin(Tensor x, int dim) {
        MaxAlong min = new MaxAlong(x.shape().normalizeAxis(dim), false, true);
        try (var _ = dev.nabla.autograd.NoGrad.enter()) {
            Function.apply(min, x);
        }
        return min.indices();
    }

    /** The sum over dimension {@code dim} (negative: from the end), which is dropped, or kept as size 1. */
    public static Tensor sum(Tensor x, int dim, boolean keepDim) {
        return Function.apply(new SumAlong(x.shape().normalizeAxis(dim), keepDim, false), x);
    }

    /** The mean over dimension {@code dim} (negative: from the end), which is dropped, or kept as size 1. */
    public static Tensor mean(Tensor x, int dim, boolean keepDim) {
        return Function.apply(new SumAlong(x.shape().normalizeAxis(dim), keepDim, true), x);
    }

    /** {@code x[..., index, ...]}: entry {@code index} along {@code dim} (negatives count from the end), dim dropped. */
    public static Tensor select(Tensor x, int dim, int index) {
        return Slice.select(x, dim, index);
    }

    /** {@code length} entries along {@code dim} from {@code start}, all inside it: {@code torch.narrow}. */
    public static Tensor narrow(Tensor x, int dim, int start, int length) {
        return Slice.narrow(x, dim, start, length);
    }

    /** {@code x[..., start:end:step, ...]} along {@code dim}, ends clamped as Python's; step at least 1. */
    public static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        return Slice.slice(x, dim, start, end, step);
    }

    /** The tensors joined along {@code dim} in order; every other dimension must agree: {@code torch.cat}. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Cat.cat(tensors, dim);
    }

    /** Tensors of one shape stacked along a new dimension {@code dim}: {@code torch.stack}. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Cat.stack(tensors, dim);
    }

    /** {@code x} with dimensions {@code dim0} and {@code dim1} swapped, copied into the new layout. */
    public static Tensor transpose(Tensor x, int dim0, int dim1) {
        return Permute.transpose(x, dim0, dim1);
    }

    /** {@code x} with its dimensions reordered (output dimension d is input dimension {@code dims[d]}), copied. */
    public static Tensor permute(Tensor x, int... dims) {
        return Permute.permute(x, dims);
    }

    /** ELU with α = 1: x for x &gt; 0, eˣ − 1 otherwise, element-wise ({@code torch.nn.functional.elu}). */
    public static Tensor elu(Tensor x) {
        return elu(x, 1);
    }

    /** ELU: x for x &gt; 0, α(eˣ − 1) otherwise, element-wise; α finite and at least 0. */
    public static Tensor elu(Tensor x, double alpha) {
        return Function.apply(new Elu(Checks.nonNegative("elu's alpha", alpha)), x);
    }

    /** The exact GELU, x·Φ(x) element-wise, Φ the standard normal distribution function. */
    public static Tensor gelu(Tensor x) {
        return gelu(x, GeluApproximation.NONE);
    }

    /** GELU in PyTorch's exact form or its tanh approximation ({@code approximate='tanh'}). */
    public static Tensor gelu(Tensor x, GeluApproximation approximation) {
        return Function.apply(new Gelu(Objects.requireNonNull(approximation, "approximation")), x);
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

    /** Absolute error, as PyTorch's {@code l1_loss}. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Function.apply(new L1(reduction), input, target);
    }

    /** Smooth L1, as PyTorch's {@code smooth_l1_loss}: quadratic for |x − y| below {@code beta} (≥ 0), else linear. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        return Function.apply(new SmoothL1(reduction, beta), input, target);
    }

    /** Huber, as PyTorch's {@code huber_loss}: quadratic for |x − y| below {@code delta} (> 0), else linear. */
    public static Tensor huberLoss(Tensor input, Tensor target, Reduction reduction, double delta) {
        return Function.apply(new Huber(reduction, delta), input, target);
    }

    /** Inverted dropout with drop probability {@code p}, its mask drawn from {@code rng}; the identity in evaluation. */
    public static Tensor dropout(Tensor x, float p, boolean training, Rng rng) {
        Checks.unitClosed("dropout probability", p);
        return !training || p == 0f ? x : Function.apply(new Dropout(p, rng), x);
    }

    /** Channel dropout ({@code dropout2d}): in training each map of [N, C, H, W] is dropped whole with probability p. */
    public static Tensor dropout2d(Tensor x, float p, boolean training, Rng rng) {
        Dropout op = Dropout.channels(x, p, rng);
        return !training || p == 0f ? x : Function.apply(op, x);
    }

    /** Convolution ({@code conv2d}): x [N, C, H, W], weight [OC, C/groups, kH, kW], bias [OC] or null; see Conv2d. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, Window2d window, int groups) {
        return Function.apply(new Conv2d(window, groups), x, weight, bias);
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, Window2d, int)} with one stride and one padding on every side. */
    public static Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(x, weight, bias, Conv2d.window(weight, stride, padding), 1);
    }

    /** Max pooling (PyTorch's {@code max_pool2d}) of {@code [N, C, H, W]} or {@code [C, H, W]}; padding is −∞. */
    public static Tensor maxPool2d(Tensor x, Window2d window, boolean ceilMode) {
        return Function.apply(new MaxPool2d(window, ceilMode), x);
    }

    /** Average pooling (PyTorch's {@code avg_pool2d}, no dilation); the padding counts with countIncludePad. */
    public static Tensor avgPool2d(Tensor x, Window2d window, boolean ceilMode, boolean countIncludePad) {
        return Function.apply(new AvgPool2d(AvgPool2d.Windows.fixed(x, window, ceilMode, countIncludePad)), x);
    }

    /** Adaptive average pooling (PyTorch's {@code adaptive_avg_pool2d}) to {@code outH × outW}, any input size. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        return Function.apply(new AvgPool2d(AvgPool2d.Windows.adaptive(x, outH, outW)), x);
    }

    /**
     * A recurrent network of {@code numLayers} layers over a whole sequence, as PyTorch's {@code _VF.lstm} (and
     * {@code rnn_tanh}, {@code rnn_relu}, {@code gru}) behind {@code torch.nn.LSTM}: each layer reads the previous
     * one's output, with dropout between layers when {@code training}. Each layer runs as one op with its own
     * backpropagation through time; the maths is in {@code LstmLayer}, {@code GruLayer} and {@code RnnLayer}.
     * Gradients reach x, h0, c0 and every weight.
     *
     * @param mode          the kind of layer
     * @param x             {@code [T, N, I]}, or {@code [N, T, I]} when {@code batchFirst}
     * @param h0            {@code [L·D, N, H]} (layer l's direction d at row l·D + d), or null for zeros
     * @param c0            as h0, for the LSTM only (null for zeros); must be null for the others
     * @param weights       in PyTorch's order: for each layer, for each direction (forward, then reverse), W_ih
     *                      {@code [G·H, I or D·H]}, W_hh {@code [G·H, H]}, then (with {@code hasBias}) b_ih and b_hh
     *                      {@code [G·H]}; G = {@link RecurrentMode#gates()}, gate blocks in PyTorch's order
     * @param hasBias       whether {@code weights} holds the biases
     * @param numLayers     L ≥ 1
     * @param bidirectional D = 2 when true: a second pass from the last step to the first, its states beside the first's
     * @param batchFirst    whether x and the output put the batch first
     * @param dropout       drop probability in [0, 1) applied to each layer's output but the last, when training
     * @param training      whether dropout is active
     * @param rng           the generator of the dropout masks (unused without dropout)
     * @return the last layer's output {@code [T, N, D·H]} (x's layout), and h_n (and, for the LSTM, c_n)
     *         {@code [L·D, N, H]}
     * @throws IllegalArgumentException when a shape does not fit, naming it and the shape expected
     */
    public static RecurrentResult recurrent(RecurrentMode mode, Tensor x, Tensor h0, Tensor c0, List<Tensor> weights,
            boolean hasBias, int numLayers, boolean bidirectional, boolean batchFirst, float dropout, boolean training,
            Rng rng) {
        return RecurrentStack.run(mode, x, h0, c0, weights, hasBias, numLayers, bidirectional, batchFirst, dropout,
                training, rng);
    }

    /**
     * The final hidden state of the last layer of a recurrent network, its directions side by side: from h_n
     * {@code [L·D, N, H]} (as {@link #recurrent} returns it) to {@code [N, D·H]}, what a classifier on the whole
     * sequence reads (PyTorch: {@code h_n[-1]}, or {@code torch.cat([h_n[-2], h_n[-1]], 1)} when bidirectional).
     *
     * @param hN         {@code [L·D, N, H]}
     * @param directions D, 1 or 2
     * @return {@code [N, D·H]}
     */
    public static Tensor lastLayerState(Tensor hN, int directions) {
        return RecurrentStack.lastLayerState(hN, directions);
    }

    /**
     * Batch normalisation, as PyTorch's {@code torch.nn.functional.batch_norm}: normalises each channel of x
     * {@code [N, C, *]} (channels on axis 1) to zero mean and unit variance, then scales by weight γ and shifts by
     * bias β. In training, with the batch's mean and biased variance, updating the running statistics (when given)
     * in place with {@code running ← (1 − momentum)·running + momentum·batch} (the running variance takes the
     * unbiased batch variance); in evaluation, with the running statistics. The maths and the backward are in the
     * {@code BatchNorm} op.
     *
     * @param x           {@code [N, C]}, {@code [N, C, L]} or {@code [N, C, H, W]} (any rank ≥ 2)
     * @param runningMean {@code [C]}, updated in place when training; null (with runningVar) to keep no statistics
     * @param runningVar  {@code [C]}, updated in place when training; null with runningMean
     * @param weight      γ {@code [C]}, or null for 1
     * @param bias        β {@code [C]}, or null for 0
     * @param training    true to normalise with the batch statistics, false with the running ones
     * @param momentum    weight of the new batch in the running statistics, in [0, 1] (PyTorch's default 0.1)
     * @param eps         added to the variance before the square root, ≥ 0 (PyTorch's default 1e-5)
     * @return y, of x's shape
     * @throws IllegalArgumentException for mismatched shapes, for evaluation without running statistics, and for
     *                                  training with one value per channel, saying what to do instead
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        return BatchNorm.apply(x, runningMean, runningVar, weight, bias, training, momentum, eps, false, null);
    }

    /**
     * {@link #batchNorm(Tensor, Tensor, Tensor, Tensor, Tensor, boolean, double, double)} in a data-parallel step
     * whose shards share their statistics through {@code sync} when training ({@link BatchNormSync}), followed by a
     * ReLU in the same op when {@code relu}.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps, boolean relu, BatchNormSync sync) {
        return BatchNorm.apply(x, runningMean, runningVar, weight, bias, training, momentum, eps, relu, sync);
    }

    /**
     * {@code relu(batchNorm(…))} as one op, as a {@code BatchNorm2d → ReLU} pair runs in a {@code Sequential}: the same
     * values and gradients, without the normalised values as an array of their own.
     */
    public static Tensor batchNormRelu(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        return BatchNorm.apply(x, runningMean, runningVar, weight, bias, training, momentum, eps, true, null);
    }

    /**
     * Layer normalisation, as PyTorch's {@code torch.nn.functional.layer_norm}: normalises each sample over its last
     * dimensions (the normalized shape) with its own mean and biased variance, then scales element-wise by weight γ
     * and shifts by bias β. It does not depend on the rest of the batch, so training and evaluation agree. The maths
     * and the backward are in the {@code LayerNorm} op.
     *
     * @param x               {@code [*, D₁, …, D_k]}, whose last k dimensions equal {@code normalizedShape}
     * @param normalizedShape {@code [D₁, …, D_k]}, k ≥ 1
     * @param weight          γ of shape {@code normalizedShape}, or null for 1
     * @param bias            β of shape {@code normalizedShape}, or null for 0
     * @param eps             added to the variance before the square root, ≥ 0 (PyTorch's default 1e-5)
     * @return y, of x's shape
     * @throws IllegalArgumentException when the shapes do not fit, naming them
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        String wanted = Arrays.toString(normalizedShape);
        boolean fits = k >= 1 && x.rank() >= k;
        for (int i = 0; fits && i < k; i++) {
            fits = x.dim(x.rank() - k + i) == normalizedShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException("layer_norm over the normalized shape " + wanted + " got x " + x.shape()
                    + ": the last " + k + " dimension" + (k == 1 ? "" : "s") + " of x must be " + wanted);
        }
        for (Tensor p : new Tensor[] {weight, bias}) {
            if (p != null && !p.shape().equals(Shape.of(normalizedShape))) {
                throw new IllegalArgumentException("layer_norm: " + (p == weight ? "weight " : "bias ") + p.shape()
                        + " must have the normalized shape " + wanted);
            }
        }
        Checks.nonNegative("layer_norm eps", eps);
        int d = Shape.of(normalizedShape).size();
        if (d == 0 || x.size() == 0) {
            throw new IllegalArgumentException("layer_norm got an empty input " + x.shape());
        }
        return Function.apply(new LayerNorm(d, eps), x, weight, bias);
    }

    /**
     * Group normalisation, as PyTorch's {@code torch.nn.functional.group_norm}: cuts the C channels of x into
     * {@code numGroups} groups of consecutive channels and normalises each sample's group with its own mean and
     * biased variance, then scales and shifts per channel. It does not depend on the rest of the batch. The maths
     * and the backward are in the {@code GroupNorm} op.
     *
     * @param x         {@code [N, C, *]}, channels on axis 1
     * @param numGroups G, dividing C
     * @param weight    γ {@code [C]}, or null for 1
     * @param bias      β {@code [C]}, or null for 0
     * @param eps       added to the variance before the square root, ≥ 0 (PyTorch's default 1e-5)
     * @return y, of x's shape
     * @throws IllegalArgumentException when the shapes do not fit or G does not divide C
     */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (x.rank() < 2 || x.size() == 0) {
            throw new IllegalArgumentException("group_norm expects a non-empty x [N, C, *] with channels on axis 1, got "
                    + x.shape());
        }
        int c = x.dim(1);
        if (numGroups < 1 || c % numGroups != 0) {
            throw new IllegalArgumentException("group_norm: " + numGroups + " groups do not divide the " + c
                    + " channels of x " + x.shape() + ": choose a number of groups that divides " + c);
        }
        checkChannelVector("group_norm", "weight", weight, c, x);
        checkChannelVector("group_norm", "bias", bias, c, x);
        Checks.nonNegative("group_norm eps", eps);
        return Function.apply(new GroupNorm(numGroups, eps), x, weight, bias);
    }


    /** Fails unless x {@code [N, C, *]} has more than one value per channel, saying why and what to do instead. */
    static void requireBatchVariance(Tensor x) {
        long perChannel = (long) x.size() / Math.max(1, x.dim(1));
        if (perChannel <= 1) {
            throw new IllegalArgumentException("batch normalisation in training mode needs more than one value per "
                    + "channel, got input " + x.shape() + " (" + perChannel + " value" + (perChannel == 1 ? "" : "s")
                    + " per channel): the variance of a single value is undefined, so the batch cannot be normalised. "
                    + "Use a batch size > 1, or (for a layer that tracks running statistics) switch the model to "
                    + "evaluation mode (eval()) to normalise with them, or use LayerNorm or GroupNorm, which normalise "
                    + "each sample on its own.");
        }
    }

    static void checkChannelVector(String op, String name, Tensor t, int c, Tensor x) {
        if (t != null && (t.rank() != 1 || t.dim(0) != c)) {
            throw new IllegalArgumentException(op + ": " + name + " " + t.shape() + " must be [" + c
                    + "], one value per channel of x " + x.shape() + " (channels on axis 1)");
        }
    }
}
