package dev.nabla.tensor;

import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Locale;

/**
 * An n-dimensional array of float32 values, stored contiguously in row-major order, that can take part in
 * automatic differentiation.
 *
 * <p>A tensor created by the user is a <em>leaf</em>. Mark it with {@link #requiresGrad(boolean)} and every
 * operation that reads it (through {@code dev.nabla.ops.Functional} or the layers of {@code dev.nabla.nn})
 * records a {@link GradFn}; {@link #backward()} on a scalar result then fills {@link #grad()} of each leaf.
 * Gradients accumulate across uses and across calls until {@link #zeroGrad()}, as in PyTorch.
 *
 * <p>{@link #data()} is the backing array itself, not a copy: kernels read and write it directly, and
 * {@link #reshape} returns a view that shares it.
 */
public final class Tensor {
    private final float[] data;
    private final Shape shape;
    private boolean requiresGrad;
    private GradFn gradFn;
    private Tensor grad;
    private boolean gradStale;   // zeroGrad() was called: grad's values are dropped, and zeroed only when read
    private GradientPool.Pass gradWriter;   // the backward pass that last wrote grad, to catch two threads training at once

    private Tensor(float[] data, Shape shape) {
        if (data.length != shape.size()) {
            throw new IllegalArgumentException(data.length + " values do not fill shape " + shape
                    + " (" + shape.size() + " values)");
        }
        this.data = data;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- creation

    /** A tensor of zeros. */
    public static Tensor zeros(int... dims) {
        return zeros(Shape.of(dims));
    }

    /** A tensor of zeros. */
    public static Tensor zeros(Shape shape) {
        return new Tensor(new float[shape.size()], shape);
    }

    /**
     * For an op's backward: a tensor to fill with a gradient it returns, <em>every element of which it must
     * write</em>, since the values it holds are unspecified. During {@link #backward()} it reuses the array of a
     * gradient the walk has finished with (warm in the cache, and no fresh memory to zero); elsewhere it is new.
     * A buffer that backward uses as scratch and does not return is reused once backward has returned.
     */
    public static Tensor gradientBuffer(Shape shape) {
        GradientPool pool = GradientPool.active();
        return pool == null ? zeros(shape) : new Tensor(pool.take(shape.size()), shape);
    }

    /**
     * For an op's forward: a tensor for its output, <em>every element of which it must write</em>, since the values
     * it holds are unspecified. Inside a training step ({@link StepMemory}) its array is one the previous step's
     * forward pass used, and it is reused again after this step; elsewhere it is new.
     */
    public static Tensor activationBuffer(Shape shape) {
        StepMemory memory = StepMemory.active();
        return memory == null ? zeros(shape) : new Tensor(memory.take(shape.size()), shape);
    }

    /** A tensor of ones. */
    public static Tensor ones(int... dims) {
        return full(1f, dims);
    }

    /** A tensor with every value equal to {@code value}. */
    public static Tensor full(float value, int... dims) {
        Tensor t = zeros(dims);
        Arrays.fill(t.data, value);
        return t;
    }

    /** A scalar (rank-0) tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, Shape.of());
    }

    /** A tensor holding a copy of {@code values}, laid out row-major in {@code dims}; no dims means 1-D. */
    public static Tensor of(float[] values, int... dims) {
        Shape shape = dims.length == 0 ? Shape.of(values.length) : Shape.of(dims);
        return new Tensor(values.clone(), shape);
    }

    /** A 2-D tensor holding a copy of {@code rows}; every row must have the same length. */
    public static Tensor of(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length
                        + " values but row 0 has " + cols + ": all rows must have the same length");
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return new Tensor(flat, Shape.of(rows.length, cols));
    }

    /** A tensor that uses {@code data} as its storage, without copying: later writes to the array show. */
    public static Tensor wrap(float[] data, Shape shape) {
        return new Tensor(data, shape);
    }

    /** Values drawn from the standard normal N(0, 1). */
    public static Tensor randn(Rng rng, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rng.nextGaussian();
        }
        return t;
    }

    /** Values drawn uniformly from {@code [0, 1)}. */
    public static Tensor rand(Rng rng, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i++) {
            t.data[i] = rng.nextFloat();
        }
        return t;
    }

    // ---------------------------------------------------------------- shape and values

    /** The dimensions. */
    public Shape shape() {
        return shape;
    }

    /** Size of one dimension; negative axes count from the end. */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /** The backing array (not a copy), row-major. Writing into it changes this tensor and its views. */
    public float[] data() {
        return data;
    }

    /** A copy of the values, row-major. */
    public float[] toArray() {
        return data.clone();
    }

    /** The value at a multi-dimensional index, one entry per dimension. */
    public float get(int... index) {
        return data[flatIndex(index)];
    }

    /** Writes one value at a multi-dimensional index; meant for tests and for building inputs. */
    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    /** The single value of a tensor with one element, such as a loss. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a tensor with one value, but this one has shape "
                    + shape + " (" + data.length + " values)");
        }
        return data[0];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " entries but the tensor has rank " + shape.rank() + " (shape " + shape + ")");
        }
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int d = shape.dim(i);
            if (index[i] < 0 || index[i] >= d) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " is outside shape "
                        + shape + " in dimension " + i);
            }
            flat = flat * d + index[i];
        }
        return flat;
    }

    /**
     * For each position along every other dimension, the index of the largest value along {@code axis}
     * (the first one on ties), flattened row-major. For logits {@code [N, C]}, {@code argmax(-1)} gives the
     * N predicted classes.
     */
    public int[] argmax(int axis) {
        int a = shape.normalizeAxis(axis);
        int len = shape.dim(a);
        if (len == 0) {
            throw new IllegalArgumentException("argmax over an empty dimension of shape " + shape);
        }
        int inner = 1;
        for (int i = a + 1; i < shape.rank(); i++) {
            inner *= shape.dim(i);
        }
        int outer = data.length / (len * inner);
        int[] out = new int[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                int best = 0;
                float bestValue = data[base];
                for (int k = 1; k < len; k++) {
                    float v = data[base + k * inner];
                    if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                        best = k;
                        bestValue = v;
                    }
                }
                out[o * inner + in] = best;
            }
        }
        return out;
    }

    /**
     * A view with new dimensions and the same values, sharing storage (no copy). One dimension may be
     * {@code -1}. Differentiable: the gradient flows back reshaped to this tensor's shape.
     */
    public Tensor reshape(int... dims) {
        Tensor view = new Tensor(data, shape.reshape(dims));
        if (requiresGrad && GradMode.isEnabled()) {
            view.requiresGrad = true;
            view.gradFn = new ReshapeBackward(this);
        }
        return view;
    }

    /** A 2-D view {@code [dim0, rest]}: keeps the first dimension and flattens the others (no copy). */
    public Tensor flatten() {
        return shape.rank() == 0 ? reshape(1, 1) : reshape(shape.dim(0), -1);
    }

    /** A new tensor with a copy of the values, outside any graph. */
    public Tensor copy() {
        return new Tensor(data.clone(), shape);
    }

    /**
     * The same values (shared storage), cut from the graph: no gradient flows through the result to what computed
     * this tensor. Truncated backpropagation through time carries a recurrent state into the next chunk this way.
     */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    // ---------------------------------------------------------------- autograd

    /** True when operations on this tensor are recorded so that its gradient can be computed. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor (a parameter or an input) for gradient computation, and returns it.
     *
     * @throws IllegalStateException on a tensor computed by an operation: its requirement follows its inputs
     */
    public Tensor requiresGrad(boolean required) {
        if (gradFn != null) {
            throw new IllegalStateException("requiresGrad() can only be set on a leaf tensor; this one was made by "
                    + gradFn.name() + ". Call detach() first to get a leaf with the same values.");
        }
        this.requiresGrad = required;
        return this;
    }

    /** The tape entry that produced this tensor, or {@code null} for a leaf. */
    public GradFn gradFn() {
        return gradFn;
    }

    /** True for a tensor not produced by a recorded operation. */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /**
     * Records that {@code fn} produced this tensor: called by {@code dev.nabla.autograd.Function}. Not for use
     * at call sites.
     */
    public void attachGradFn(GradFn fn) {
        if (this.gradFn != null) {
            throw new IllegalStateException("tensor already produced by " + this.gradFn.name());
        }
        this.gradFn = fn;
        this.requiresGrad = true;
    }

    /** The accumulated gradient dL/d(this), or {@code null} before any backward pass reached this leaf. */
    public Tensor grad() {
        if (gradStale) {
            Arrays.fill(grad.data, 0f);
            gradStale = false;
        }
        return grad;
    }

    /** Replaces the gradient (optimizers and clipping use this); {@code null} clears it. */
    public void setGrad(Tensor gradient) {
        if (gradient != null && !gradient.shape.equals(shape)) {
            throw new IllegalArgumentException("gradient of shape " + gradient.shape + " for a tensor of shape " + shape);
        }
        this.grad = gradient;
        this.gradStale = false;
    }

    /**
     * Sets the accumulated gradient to zero, keeping its buffer for the next pass. The zeros are written lazily:
     * the next backward pass overwrites the buffer instead of adding to it, so a training step pays no separate
     * pass to clear its gradients.
     */
    public void zeroGrad() {
        if (grad != null) {
            gradStale = true;
        }
    }

    /** Writes a gradient contribution straight into a leaf's gradient buffer; see {@link #accumulateGrad(GradWriter)}. */
    @FunctionalInterface
    public interface GradWriter {
        /**
         * Adds the contribution into {@code buffer} (this tensor's shape, row-major), or, when {@code overwrite},
         * stores it there, ignoring the buffer's old values.
         */
        void write(float[] buffer, boolean overwrite);
    }

    /**
     * Lets an op add its gradient for this leaf directly into the leaf's gradient buffer (a matrix product can
     * accumulate into it), instead of returning a fresh tensor for the walk to add: no allocation and no extra
     * pass per step. Creates the buffer on first use. For ops, from their backward.
     */
    public void accumulateGrad(GradWriter writer) {
        refuseConcurrentBackward();
        boolean overwrite = grad == null || gradStale;
        if (grad == null) {
            grad = new Tensor(new float[data.length], shape);
        }
        gradStale = false;
        writer.write(grad.data, overwrite);
    }

    /**
     * Fails when another thread's backward pass, still running, wrote this leaf's gradient: two threads are training
     * one model, and their gradients and updates would mix without a sign. Such passes overlap within the first
     * steps of two concurrent training loops; passes one after the other, on any threads, are fine.
     */
    private void refuseConcurrentBackward() {
        GradientPool pool = GradientPool.active();
        if (pool == null) {
            return;   // not in a backward pass of this thread (a kernel's worker thread, or a direct call)
        }
        GradientPool.Pass walk = pool.pass;
        GradientPool.Pass last = gradWriter;
        if (last != null && last != walk && last.runningElsewhere()) {
            throw new ConcurrentModificationException("two threads are training one model at once: the "
                    + "backward passes of threads '" + last.walker.getName() + "' and '" + Thread.currentThread().getName()
                    + "' both wrote the gradient of a parameter of shape " + shape + ", so their gradients and the "
                    + "optimizer's updates would mix. Train a model on one thread (the kernels already split each "
                    + "step over the cores: Parallel.setThreads); threads may share a model only in eval mode, for "
                    + "forward passes under NoGrad.");
        }
        gradWriter = walk;
    }

    /**
     * Computes dL/dx for every leaf x this scalar depends on and adds it to {@code x.grad()}. Frees the values
     * the graph saved, so a second call through the same graph fails; use {@link #backward(boolean)} to keep them.
     *
     * @throws IllegalStateException if this tensor does not require grad or has more than one value
     */
    public void backward() {
        Backprop.run(this, null, false);
    }

    /** As {@link #backward()}; with {@code retainGraph} the saved values stay for another backward pass. */
    public void backward(boolean retainGraph) {
        Backprop.run(this, null, retainGraph);
    }

    /** Backpropagates from a non-scalar tensor given dL/d(this) ({@code gradient} has this tensor's shape). */
    public void backward(Tensor gradient) {
        Backprop.run(this, gradient, false);
    }

    /** Gradient accumulation for the walk: adds {@code g} to this leaf's gradient, creating it on first use. */
    void accumulateGrad(Tensor g) {
        float[] add = g.data;
        accumulateGrad((acc, overwrite) -> {
            if (overwrite) {
                System.arraycopy(add, 0, acc, 0, acc.length);
            } else {
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += add[i];
                }
            }
        });
    }

    // ---------------------------------------------------------------- printing

    /**
     * The values in PyTorch's layout, for example {@code tensor([0.1000, -2.0000])}, with one line per row for
     * matrices and a decimal point whatever the default locale; large tensors show their first and last three
     * entries per dimension. Graph tensors say so.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("tensor(");
        if (shape.rank() == 0) {
            sb.append(format(data[0]));
        } else {
            appendDim(sb, 0, 0, 7);
        }
        if (data.length > 1000 || shape.rank() > 1 && data.length > 36) {
            sb.append(", shape=").append(shape);
        }
        if (gradFn != null) {
            sb.append(", gradFn=").append(gradFn.name());
        } else if (requiresGrad) {
            sb.append(", requiresGrad=true");
        }
        return sb.append(')').toString();
    }

    private void appendDim(StringBuilder sb, int axis, int offset, int indent) {
        int len = shape.dim(axis);
        int stride = 1;
        for (int i = axis + 1; i < shape.rank(); i++) {
            stride *= shape.dim(i);
        }
        boolean summarize = len > 6 && data.length > 36;
        sb.append('[');
        for (int i = 0; i < len; i++) {
            if (summarize && i == 3) {
                sb.append(axis == shape.rank() - 1 ? "..., " : "...,\n" + " ".repeat(indent + 1));
                i = len - 3;
            }
            if (axis == shape.rank() - 1) {
                sb.append(format(data[offset + i]));
            } else {
                appendDim(sb, axis + 1, offset + i * stride, indent + 1);
            }
            if (i < len - 1) {
                sb.append(axis == shape.rank() - 1 ? ", " : ",\n" + " ".repeat(indent + 1));
            }
        }
        sb.append(']');
    }

    private static String format(float v) {
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            return Float.toString(v).replace("Infinity", "inf").replace("NaN", "nan");
        }
        float a = Math.abs(v);
        return a != 0 && (a < 1e-4f || a >= 1e6f) ? String.format(Locale.ROOT, "%.4e", v)
                : String.format(Locale.ROOT, "%.4f", v);   // a decimal point in every locale
    }

    /** Backward of {@link #reshape}: the gradient is the upstream gradient viewed in the source's shape. */
    private static final class ReshapeBackward implements GradFn {
        private final Tensor source;

        ReshapeBackward(Tensor source) {
            this.source = source;
        }

        @Override
        public Tensor[] inputs() {
            return new Tensor[] {source};
        }

        @Override
        public Tensor[] applyBackward(Tensor gradOutput) {
            return new Tensor[] {new Tensor(gradOutput.data, source.shape)};
        }

        @Override
        public void release() {
        }

        @Override
        public String name() {
            return "Reshape";
        }
    }
}
