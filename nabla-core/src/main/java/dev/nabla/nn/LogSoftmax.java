package dev.nabla.nn;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;

/** Log-softmax along a dimension (default: the last) as a layer, for use with {@link dev.nabla.loss.NLLLoss}. */
public final class LogSoftmax extends Module {
    private final int dim;

    /** Log-softmax over the last dimension. */
    public LogSoftmax() {
        this(-1);
    }

    /** Log-softmax along {@code dim}. */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.logSoftmax(x, dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
