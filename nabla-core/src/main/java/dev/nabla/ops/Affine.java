package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Tensor;

/**
 * PyTorch's {@code linear}: {@code y = x · Wᵀ + b} with x {@code [N, in]}, W {@code [out, in]}, b {@code [out]}
 * (optional), y {@code [N, out]}. Fused so the transposed weight is read in place, never copied.
 * <p>Backward: y_nj = Σ_i x_ni W_ji + b_j, hence {@code dx = g · W} ({@code [N, out]·[out, in]}),
 * {@code dW = gᵀ · x} ({@code [out, N]·[N, in]}) and {@code db = Σ_n g_n} (column sums). A parameter's dW and db
 * are accumulated straight into its gradient buffer.
 */
final class Affine extends Function {
    private Tensor x;
    private Tensor w;

    @Override
    protected Tensor forward(Tensor... in) {
        x = in[0];
        w = in[1];
        Tensor b = in[2];
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " does not fit weight " + w.shape()
                    + ": the input must be [N, " + (w.rank() == 2 ? w.dim(1) : "in") + "] for a weight [out, in]");
        }
        if (b != null && (b.rank() != 1 || b.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("linear: bias " + b.shape() + " must be [" + w.dim(0)
                    + "], one value per output feature of weight " + w.shape());
        }
        int n = x.dim(0);
        int inFeatures = w.dim(1);
        int outFeatures = w.dim(0);
        Tensor y = Tensor.zeros(n, outFeatures);
        if (b != null) {
            Gemm.linear(x.data(), w.data(), b.data(), y.data(), n, inFeatures, outFeatures);
        } else {
            Gemm.abt(x.data(), w.data(), y.data(), n, inFeatures, outFeatures, false);
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = x.dim(0);
        int inFeatures = w.dim(1);
        int outFeatures = w.dim(0);
        Tensor dx = null;
        Tensor dw = null;
        Tensor db = null;
        if (needsInputGrad(0)) {
            dx = Tensor.gradientBuffer(x.shape());
            Gemm.ab(g.data(), w.data(), dx.data(), n, outFeatures, inFeatures, false);
        }
        float[] gd = g.data();
        float[] xd = x.data();
        if (isLeafInput(1)) {
            w.accumulateGrad((buf, overwrite) -> Gemm.atb(gd, xd, buf, outFeatures, n, inFeatures, !overwrite));
        } else if (needsInputGrad(1)) {
            dw = Tensor.gradientBuffer(w.shape());
            Gemm.atb(gd, xd, dw.data(), outFeatures, n, inFeatures, false);
        }
        Tensor b = inputs()[2];
        if (isLeafInput(2)) {
            b.accumulateGrad((buf, overwrite) -> Elementwise.sumRows(gd, buf, overwrite));
        } else if (needsInputGrad(2)) {
            db = Tensor.zeros(outFeatures);
            Elementwise.sumRows(gd, db.data());
        }
        return new Tensor[] {dx, dw, db};
    }
}
