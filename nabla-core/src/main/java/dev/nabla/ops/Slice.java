package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * Every {@code step}-th entry along one dimension from {@code start}, {@code count} of them: Python's
 * {@code x[..., start:end:step, ...]} as a fresh tensor. Behind {@link Functional#slice}, {@link Functional#narrow}
 * and {@link Functional#select} (a slice of one, its dimension then dropped by a reshape).
 *
 * <p>Forward: seen as {@code [outer, size, inner]} around the dimension, {@code y[o, k, i] = x[o, start + k·step, i]}.
 * <p>Backward: each y entry is one x entry, so ∂L/∂x[o, start + k·step, i] = g[o, k, i] and every x entry the slice
 * skipped gets 0.
 */
final class Slice extends Function {
    private final int dim;
    private final int start;
    private final int count;
    private final int step;
    private Shape inputShape;

    /** {@code dim} and {@code start} already normalised, {@code count} ≥ 0 entries that lie inside the dimension. */
    Slice(int dim, int start, int count, int step) {
        this.dim = dim;
        this.start = start;
        this.count = count;
        this.step = step;
    }

    /** {@code x[..., start:end:step, ...]} along {@code dim}, with Python's rules for negative and outlying ends. */
    static Tensor slice(Tensor x, int dim, int start, int end, int step) {
        int d = x.shape().normalizeAxis(dim);
        if (step < 1) {
            throw new IllegalArgumentException("slice step must be at least 1, got " + step
                    + " (PyTorch has no negative steps either: flip the result instead)");
        }
        int size = x.shape().dim(d);
        int from = clamp(start < 0 ? start + size : start, size);
        int to = clamp(end < 0 ? end + size : end, size);
        int count = to > from ? (to - from + step - 1) / step : 0;
        return Function.apply(new Slice(d, from, count, step), x);
    }

    /** {@code length} entries along {@code dim} from {@code start} (negative: from the end), all inside it. */
    static Tensor narrow(Tensor x, int dim, int start, int length) {
        int d = x.shape().normalizeAxis(dim);
        int size = x.shape().dim(d);
        int from = start < 0 ? start + size : start;
        if (from < 0 || from > size || length < 0 || from + length > size) {
            throw new IllegalArgumentException("narrow(dim " + dim + ", start " + start + ", length " + length
                    + ") leaves dimension " + d + " of " + x.shape() + " (size " + size + "): start in [" + -size
                    + ", " + size + "] and start + length at most " + size);
        }
        return Function.apply(new Slice(d, from, length, 1), x);
    }

    /** Entry {@code index} along {@code dim} (negative: from the end), the dimension dropped. */
    static Tensor select(Tensor x, int dim, int index) {
        int d = x.shape().normalizeAxis(dim);
        int size = x.shape().dim(d);
        if (index < -size || index >= size) {
            throw new IllegalArgumentException("index " + index + " is out of range for dimension " + d + " of "
                    + x.shape() + " (size " + size + "): use an index in [" + -size + ", " + (size - 1) + "]");
        }
        Tensor one = Function.apply(new Slice(d, index < 0 ? index + size : index, 1, 1), x);
        return one.reshape(Axis.of(x.shape(), d).without(x.shape()).dims());
    }

    private static int clamp(int i, int size) {
        return Math.max(0, Math.min(size, i));
    }

    @Override
    protected Tensor forward(Tensor... in) {
        inputShape = in[0].shape();
        Axis axis = Axis.of(inputShape, dim);
        int[] dims = inputShape.dims();
        dims[dim] = count;
        Tensor y = Tensor.zeros(dims);
        float[] x = in[0].data();
        float[] out = y.data();
        for (int o = 0; o < axis.outer(); o++) {
            for (int k = 0; k < count; k++) {
                System.arraycopy(x, (o * axis.size() + start + k * step) * axis.inner(), out,
                        (o * count + k) * axis.inner(), axis.inner());
            }
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Axis axis = Axis.of(inputShape, dim);
        Tensor dx = Tensor.gradientBuffer(inputShape);
        float[] d = dx.data();
        Arrays.fill(d, 0f);
        float[] gd = g.data();
        for (int o = 0; o < axis.outer(); o++) {
            for (int k = 0; k < count; k++) {
                System.arraycopy(gd, (o * count + k) * axis.inner(), d,
                        (o * axis.size() + start + k * step) * axis.inner(), axis.inner());
            }
        }
        return new Tensor[] {dx};
    }
}
