package dev.nabla.nn;

import dev.nabla.ops.Checks;
import dev.nabla.ops.BatchNormSync;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Batch normalisation (Ioffe and Szegedy, 2015), the behaviour {@link BatchNorm1d} and {@link BatchNorm2d} share:
 * each channel c (axis 1 of the input) is normalised over its M = N·S values in the batch (S = L or H·W), then
 * scaled and shifted by learned γ and β:
 * <pre>
 * y = γ_c · (x − μ_c) / √(v_c + ε) + β_c
 * </pre>
 * <ul>
 *   <li><b>Training mode</b>: μ and v are the batch's mean and <em>biased</em> variance (divided by M), and the
 *       running statistics are updated, with m = momentum:
 *       <pre>
 * running_mean ← (1 − m)·running_mean + m·μ
 * running_var  ← (1 − m)·running_var  + m·v·M/(M − 1)      (the unbiased variance)
 * num_batches_tracked ← num_batches_tracked + 1</pre>
 *       With {@code momentum = null}, m = 1/num_batches_tracked (after the increment): the running statistics are
 *       then the plain average of every batch's statistics so far (a cumulative moving average).</li>
 *   <li><b>Evaluation mode</b> ({@link #eval()}): μ and v are {@code running_mean} and {@code running_var}, so the
 *       output of a sample does not depend on the rest of the batch; nothing is updated.</li>
 *   <li><b>Without tracked statistics</b> ({@code trackRunningStats = false}): there are no running statistics, and
 *       both modes normalise with the batch statistics, as in PyTorch.</li>
 * </ul>
 * The maths, the derivation of the backward and the kernels are in {@link Functional#batchNorm}'s op.
 *
 * <p>State, under PyTorch's {@code state_dict} names: parameters {@code weight} (γ, starts at 1) and {@code bias}
 * (β, starts at 0), both {@code [C]}, when {@code affine}; buffers {@code running_mean} {@code [C]} (starts at 0),
 * {@code running_var} {@code [C]} (starts at 1) and {@code num_batches_tracked} when {@code trackRunningStats}.
 * {@code num_batches_tracked} is an int64 in PyTorch; here it is a float32 scalar tensor like every other tensor
 * of the state, which counts exactly up to 2²⁴ = 16 777 216 batches and stays there. That limit does no harm: the
 * count only matters to the cumulative average, whose weight 1/2²⁴ is by then below float32's resolution of the
 * running statistics.
 *
 * <p><b>Note:</b> momentum is the weight of the <em>new</em> batch, the opposite of an optimizer's momentum and of
 * Keras's {@code BatchNormalization(momentum=0.99)}, which is 0.01 here.
 * <p><b>Note:</b> training needs more than one value per channel: with a batch of one sample and no spatial
 * dimensions the batch variance is undefined, and {@link #forward} fails saying so. Use a batch size above 1,
 * evaluation mode, or a normalisation that does not depend on the batch ({@link LayerNorm}, {@link GroupNorm}).
 *
 * <pre>{@code
 * var bn = new BatchNorm1d(256, BatchNorm.Options.defaults().withMomentum(null));   // cumulative average
 * }</pre>
 */
public abstract sealed class BatchNorm extends Normalization permits BatchNorm1d, BatchNorm2d {
    /** ε, added to the variance: 1e-5 (PyTorch's default). */
    public static final double DEFAULT_EPS = 1e-5;
    /** The weight of a new batch in the running statistics: 0.1 (PyTorch's default). */
    public static final double DEFAULT_MOMENTUM = 0.1;

    /**
     * The options of a batch normalisation layer; start from {@link #defaults()} and change what you need with the
     * {@code with…} methods.
     *
     * @param eps               ε, added to the variance before the square root; finite and ≥ 0
     * @param momentum          the weight of a new batch in the running statistics, in [0, 1]; {@code null} for the
     *                          cumulative moving average
     * @param affine            learn γ and β (else γ = 1, β = 0, and the layer has no parameters)
     * @param trackRunningStats keep running statistics for evaluation mode (else both modes use the batch's)
     */
    public record Options(double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        /** @throws IllegalArgumentException naming the value and its valid range */
        public Options {
            Checks.nonNegative("BatchNorm eps", eps);
            if (momentum != null) {
                Checks.unitClosed("BatchNorm momentum (or null for a cumulative average)", momentum);
            }
        }

        /** {@link #DEFAULT_EPS}, {@link #DEFAULT_MOMENTUM}, affine, tracking running statistics: PyTorch's defaults. */
        public static Options defaults() {
            return new Options(DEFAULT_EPS, DEFAULT_MOMENTUM, true, true);
        }

        /** A copy with ε. */
        public Options withEps(double eps) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }

        /** A copy with momentum; {@code null} for the cumulative moving average. */
        public Options withMomentum(Double momentum) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }

        /** A copy with or without learned γ and β. */
        public Options withAffine(boolean affine) {
            return new Options(eps, momentum, affine, trackRunningStats);
        }

        /** A copy with or without running statistics. */
        public Options withTrackRunningStats(boolean track) {
            return new Options(eps, momentum, affine, track);
        }
    }

    private final int numFeatures;
    private final Options options;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;
    private BatchNormSync sync;

    BatchNorm(int numFeatures, Options options) {
        if (numFeatures < 1) {
            throw new IllegalArgumentException("BatchNorm needs a positive number of features (channels), got "
                    + numFeatures);
        }
        super(Objects.requireNonNull(options, "options").affine(), numFeatures);
        this.numFeatures = numFeatures;
        this.options = options;
        if (options.trackRunningStats()) {
            runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
            runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
            numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.scalar(0f));
        } else {
            runningMean = null;
            runningVar = null;
            numBatchesTracked = null;
        }
    }

    /** Fails with a message naming the expected shapes unless x suits this layer. */
    abstract void checkInput(Tensor x);

    /**
     * Normalises x; in training mode with tracked statistics, also updates them.
     *
     * @param x {@code [N, C, *]} as the subclass states; y has the same shape
     * @throws IllegalArgumentException for a shape this layer does not take, or in training with one value per
     *                                  channel (saying what to do instead); nothing is updated then
     */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, false);
    }

    /** {@link #forward(Tensor)}, then a ReLU in the same op when {@code relu} ({@link Functional#batchNormRelu}). */
    Tensor forward(Tensor x, boolean relu) {
        checkInput(x);
        boolean update = isTraining() && runningMean != null;
        double factor = 0;
        if (update) {
            Double momentum = options.momentum();
            factor = momentum != null ? momentum : 1.0 / (numBatchesTracked.item() + 1.0);
        }
        boolean batchStatistics = isTraining() || runningMean == null;
        Tensor y = Functional.batchNorm(x, runningMean, runningVar, weight(), bias(), batchStatistics, factor,
                options.eps(), relu, isTraining() ? sync : null);
        if (update) {
            numBatchesTracked.data()[0] += 1f;
        }
        return y;
    }

    /**
     * Shares this layer's statistics in training with the other shards of a data-parallel step through {@code sync}
     * (PyTorch's {@code SyncBatchNorm}), or, with null, normalises each batch by its own again (the default).
     */
    public void synchronize(BatchNormSync sync) {
        this.sync = sync;
    }

    /** Sets the running mean to 0, the running variance to 1 and the batch count to 0, as at construction. */
    public void resetRunningStats() {
        if (runningMean != null) {
            Arrays.fill(runningMean.data(), 0f);
            Arrays.fill(runningVar.data(), 1f);
            numBatchesTracked.data()[0] = 0f;
        }
    }

    /** C, the number of channels. */
    public int numFeatures() {
        return numFeatures;
    }

    /** The options this layer was built with. */
    public Options options() {
        return options;
    }

    /** The buffer {@code running_mean} {@code [C]}, or {@code null} without {@code trackRunningStats}. */
    public Tensor runningMean() {
        return runningMean;
    }

    /** The buffer {@code running_var} {@code [C]} (unbiased), or {@code null} without {@code trackRunningStats}. */
    public Tensor runningVar() {
        return runningVar;
    }

    /** How many training batches updated the running statistics (0 without {@code trackRunningStats}). */
    public long numBatchesTracked() {
        return numBatchesTracked == null ? 0 : (long) numBatchesTracked.item();
    }

    /** As PyTorch prints it: {@code 256, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True}. */
    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + pythonFloat(options.eps()) + ", momentum="
                + (options.momentum() == null ? "None" : pythonFloat(options.momentum()))
                + ", affine=" + (options.affine() ? "True" : "False")
                + ", track_running_stats=" + (options.trackRunningStats() ? "True" : "False");
    }
}
