package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * Reshapes {@code [N, d1·d2·…]} to {@code [N, d1, d2, …]} without copying, as PyTorch's {@code nn.Unflatten(1, dims)}:
 * flat images, as datasets hold them, become the {@code [N, C, H, W]} a {@link Conv2d} takes.
 */
public final class Unflatten extends Module {
    private final int[] dims;

    /** The shape of one sample after the reshape, such as {@code 1, 28, 28}. */
    public Unflatten(int... dims) {
        long size = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("Unflatten needs positive sizes, got " + java.util.Arrays.toString(
                        dims));
            }
            size *= d;
        }
        if (dims.length == 0 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Unflatten needs one or more sizes whose product fits an int");
        }
        this.dims = dims.clone();
    }

    /**
     * @throws IllegalArgumentException when a sample of x does not hold the product of the sizes
     */
    @Override
    public Tensor forward(Tensor x) {
        int per = 1;
        for (int d : dims) {
            per *= d;
        }
        if (x.rank() < 1 || x.size() != x.dim(0) * per) {
            throw new IllegalArgumentException("Unflatten to " + java.util.Arrays.toString(dims) + " got " + x.shape()
                    + ": each sample must hold " + per + " values");
        }
        int[] shape = new int[dims.length + 1];
        shape[0] = x.dim(0);
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return x.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return "dim=1, unflattened_size=" + java.util.Arrays.toString(dims).replace('[', '(').replace(']', ')');
    }
}
