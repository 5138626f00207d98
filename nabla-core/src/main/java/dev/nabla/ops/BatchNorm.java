package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.BatchNormKernels;
import dev.nabla.kernel.Elementwise;
import dev.nabla.tensor.Tensor;

/**
 * Batch normalisation (PyTorch's {@code batch_norm}): x {@code [N, C, *]} with channels on axis 1 and M = N·S values
 * per channel (S the product of the trailing dimensions, 1 for {@code [N, C]}), weight γ and bias β {@code [C]}
 * (either may be null: 1 and 0), running mean and variance {@code [C]} (or both null), y of x's shape:
 * <pre>
 * y = γ · x̂ + β,   x̂ = (x − μ_c) / σ_c,   σ_c = √(v_c + ε)
 * </pre>
 * With {@code training} true, μ and v are the batch's mean and <em>biased</em> variance per channel, and the
 * running statistics, when given, are updated in place: {@code running_mean ← (1 − m)·running_mean + m·μ},
 * {@code running_var ← (1 − m)·running_var + m·v·M/(M − 1)} (the <em>unbiased</em> variance), m = momentum. With
 * {@code training} false, μ and v are the running statistics, which are not changed.
 *
 * <p><b>Backward</b>, per channel, with g = dL/dy, sums over the channel's M values, and batch statistics.
 * β and γ: {@code dβ = Σ g}, {@code dγ = Σ g·x̂}. Input: x̂ᵢ depends on x_j directly and through μ and σ, with
 * ∂μ/∂x_j = 1/M and ∂σ/∂x_j = (x_j − μ)/(M·σ) = x̂_j/M (from σ² = Σ(xᵢ − μ)²/M + ε, whose μ-term sums to zero), so
 * <pre>
 * ∂x̂ᵢ/∂x_j = (δᵢⱼ − 1/M)/σ − (xᵢ − μ)/σ² · x̂_j/M = (δᵢⱼ − 1/M − x̂ᵢ·x̂_j/M) / σ
 * dx_j = Σᵢ γ·gᵢ · ∂x̂ᵢ/∂x_j = γ/(M·σ) · (M·g_j − Σ g − x̂_j·Σ g·x̂)
 * </pre>
 * The three terms are the direct path, the path through the mean (which moves every output), and the path through
 * σ. With running statistics (evaluation) μ and σ are constants and {@code dx = γ·g/σ}.
 *
 * <p>With {@code relu}, the op is {@code relu(y)}, for a BatchNorm followed by a ReLU: the output is {@code max(y, 0)}
 * written over y, and backward first masks g with {@code [out > 0]} (the ReLU's derivative, read from the output:
 * out &gt; 0 exactly where y &gt; 0), then goes on as above. The same values and gradients as the two ops, one array
 * of x's size fewer in the forward pass and in the backward. The ReLU goes into the normalising pass where
 * that pays ({@link BatchNormKernels#normalizeRelu}). (Recomputing the ReLU's mask from x in the
 * backward passes, rather than reading it from the output, measured slower: the mask of each run of a channel, a
 * branch-free vector pass of its own, cost more than the pass over memory it saved.)
 *
 * <p>Fused because composed ops (mean, subtract, square, mean, divide, scale, shift) would keep about six tensors of
 * x's size for the backward and read them in as many passes; this keeps x, μ and 1/σ, and its backward makes two
 * passes (the two sums, then dx). Statistics and sums are accumulated in double ({@link BatchNormKernels}).
 */
final class BatchNorm extends Function {
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final boolean training;
    private final double momentum;
    private final double eps;
    private final boolean relu;
    private final BatchNormSync sync;
    private long count;
    private Tensor x;
    private Tensor out;
    private Tensor gamma;
    private float[] mean;
    private float[] invStd;

    private BatchNorm(Tensor runningMean, Tensor runningVar, boolean training, double momentum, double eps,
                      boolean relu, BatchNormSync sync) {
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.training = training;
        this.momentum = momentum;
        this.eps = eps;
        this.relu = relu;
        this.sync = sync;
    }

    /**
     * {@link Functional#batchNorm}, followed by a ReLU when {@code relu}: the arguments checked, then the op; in
     * training with {@code sync} (or null), with the whole data-parallel batch's statistics and sums.
     */
    static Tensor apply(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                        double momentum, double eps, boolean relu, BatchNormSync sync) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("batch_norm expects x [N, C, *] with channels on axis 1, got " + x.shape()
                    + ": add a batch dimension (x.reshape(1, -1)) or use at least two samples");
        }
        int c = x.dim(1);
        Functional.checkChannelVector("batch_norm", "weight", weight, c, x);
        Functional.checkChannelVector("batch_norm", "bias", bias, c, x);
        Functional.checkChannelVector("batch_norm", "running_mean", runningMean, c, x);
        Functional.checkChannelVector("batch_norm", "running_var", runningVar, c, x);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batch_norm got a running " + (runningMean == null ? "variance" : "mean")
                    + " without a running " + (runningMean == null ? "mean" : "variance") + ": pass both or neither");
        }
        if (!training && runningMean == null) {
            throw new IllegalArgumentException("batch_norm in evaluation mode (training = false) normalises with the "
                    + "running mean and variance, but none were given: pass them, or training = true to use the "
                    + "batch statistics");
        }
        Checks.nonNegative("batch_norm eps", eps);
        Checks.unitClosed("batch_norm momentum", momentum);
        if (training) {
            Functional.requireBatchVariance(x);
        }
        return Function.apply(new BatchNorm(runningMean, runningVar, training, momentum, eps, relu,
                training ? sync : null), x, weight, bias);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        gamma = in[1];
        Tensor beta = in[2];
        int n = x.dim(0);
        int c = x.dim(1);
        int s = x.size() / Math.max(1, n * c);
        mean = new float[c];
        invStd = new float[c];
        if (training) {
            float[] var = new float[c];
            BatchNormKernels.meanVar(x.data(), n, c, s, mean, var);
            count = (long) n * s;
            if (sync != null) {
                BatchNormSync.Moments all = sync.moments(count, mean, var);
                System.arraycopy(all.mean(), 0, mean, 0, c);
                System.arraycopy(all.var(), 0, var, 0, c);
                count = all.count();
            }
            BatchNormKernels.invStd(var, eps, invStd);
            if (runningMean != null) {
                long m = count;
                BatchNormKernels.updateRunning(mean, 1.0, momentum, runningMean.data());
                BatchNormKernels.updateRunning(var, (double) m / (m - 1), momentum, runningVar.data());
            }
        } else {
            System.arraycopy(runningMean.data(), 0, mean, 0, c);
            BatchNormKernels.invStd(runningVar.data(), eps, invStd);
        }
        Tensor y = Tensor.activationBuffer(x.shape());
        float[] gammaData = gamma == null ? null : gamma.data();
        float[] betaData = beta == null ? null : beta.data();
        if (relu) {
            BatchNormKernels.normalizeRelu(x.data(), n, c, s, mean, invStd, gammaData, betaData, y.data());
            out = y;
        } else {
            BatchNormKernels.normalize(x.data(), n, c, s, mean, invStd, gammaData, betaData, y.data());
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gradOutput) {
        Tensor g = gradOutput;
        if (relu) {   // through the ReLU first: g·[out > 0]
            g = Tensor.gradientBuffer(out.shape());
            Elementwise.reluBackward(out.data(), gradOutput.data(), g.data());
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int s = x.size() / Math.max(1, n * c);
        double[] sumDy = new double[c];
        double[] sumDyXhat = new double[c];
        BatchNormKernels.gradSums(x.data(), g.data(), n, c, s, mean, invStd, sumDy, sumDyXhat);
        Tensor dx = null;
        if (needsInputGrad(0)) {
            // dx is element-wise in g once the sums are taken, so it may overwrite the masked g, this op's own array
            dx = relu ? g : Tensor.gradientBuffer(x.shape());
            float[] gammaData = gamma == null ? null : gamma.data();
            if (training) {
                double[][] sums = sync == null ? new double[][] {sumDy, sumDyXhat} : wholeBatchSums(sumDy, sumDyXhat,
                        (long) n * s);
                BatchNormKernels.inputGradBatchStats(x.data(), g.data(), n, c, s, mean, invStd, gammaData, sums[0],
                        sums[1], dx.data());
            } else {
                BatchNormKernels.inputGradFixedStats(g.data(), n, c, s, invStd, gammaData, dx.data());
            }
        }
        return new Tensor[] {dx, needsInputGrad(1) ? channelTensor(sumDyXhat) : null,
            needsInputGrad(2) ? channelTensor(sumDy) : null};
    }

    /**
     * The whole batch's sums from {@code sync}, scaled by {@code m / M}: the kernel divides by this shard's m values,
     * and the derivation divides by the whole batch's M.
     */
    private double[][] wholeBatchSums(double[] sumDy, double[] sumDyXhat, long m) {
        BatchNormSync.Sums all = sync.gradientSums(sumDy, sumDyXhat);
        double scale = (double) m / count;
        double[] dy = new double[sumDy.length];
        double[] dyXhat = new double[sumDy.length];
        for (int i = 0; i < dy.length; i++) {
            dy[i] = all.sumDy()[i] * scale;
            dyXhat[i] = all.sumDyXhat()[i] * scale;
        }
        return new double[][] {dy, dyXhat};
    }

    private static Tensor channelTensor(double[] values) {
        Tensor t = Tensor.zeros(values.length);
        for (int i = 0; i < values.length; i++) {
            t.data()[i] = (float) values[i];
        }
        return t;
    }
}
