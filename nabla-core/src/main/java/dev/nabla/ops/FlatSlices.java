package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * Pieces of the inputs' row-major values laid end to end: {@code y = x₀[a₀, a₀ + n₀) ‖ x₁[a₁, a₁ + n₁) ‖ …}, in a
 * given shape. The recurrent layers use it to take their output, h_n and c_n out of the one tensor their op returns
 * (an op has one output), to gather h_n of several layers into one {@code [L·D, N, H]}, and to give each layer its
 * rows of h_0. A copy: a tensor cannot start inside another's array.
 * <p>Backward: each value of y is one value of one input, so {@code dx_i} is g's piece in {@code [a_i, a_i + n_i)}
 * and 0 elsewhere.
 */
final class FlatSlices extends Function {
    private final int[] sources;
    private final int[] starts;
    private final int[] lengths;
    private final Shape shape;

    /**
     * Piece k is {@code lengths[k]} values of input {@code sources[k]} from {@code starts[k]} on; y has {@code shape}.
     * An input may give several pieces.
     */
    FlatSlices(int[] sources, int[] starts, int[] lengths, Shape shape) {
        this.sources = sources.clone();
        this.starts = starts.clone();
        this.lengths = lengths.clone();
        this.shape = shape;
        if (Arrays.stream(lengths).sum() != shape.size()) {
            throw new IllegalArgumentException("pieces of " + Arrays.stream(lengths).sum() + " values in all do not fill "
                    + shape);
        }
    }

    /** {@code x}'s values {@code [start, start + shape.size())} as a tensor of {@code shape}. */
    static Tensor range(Tensor x, int start, Shape shape) {
        return Function.apply(new FlatSlices(new int[] {0}, new int[] {start}, new int[] {shape.size()}, shape), x);
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor y = Tensor.zeros(shape);
        int at = 0;
        for (int k = 0; k < sources.length; k++) {
            Tensor x = in[sources[k]];
            if (starts[k] < 0 || starts[k] + lengths[k] > x.size()) {
                throw new IllegalArgumentException("piece [" + starts[k] + ", " + (starts[k] + lengths[k])
                        + ") is outside input " + sources[k] + " " + x.shape());
            }
            System.arraycopy(x.data(), starts[k], y.data(), at, lengths[k]);
            at += lengths[k];
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor[] inputs = inputs();
        Tensor[] grads = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (needsInputGrad(i)) {
                grads[i] = Tensor.gradientBuffer(inputs[i].shape());
                Arrays.fill(grads[i].data(), 0f);
            }
        }
        int at = 0;
        for (int k = 0; k < sources.length; k++) {
            if (grads[sources[k]] != null) {
                System.arraycopy(g.data(), at, grads[sources[k]].data(), starts[k], lengths[k]);
            }
            at += lengths[k];
        }
        return grads;
    }
}
