package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Tensor;

/**
 * {@code out = a · b} for matrices: a {@code [N, K]}, b {@code [K, M]}, out {@code [N, M]}.
 * <p>Backward: out_ij = Σ_k a_ik b_kj, so ∂L/∂a_ik = Σ_j g_ij b_kj and ∂L/∂b_kj = Σ_i a_ik g_ij, that is
 * {@code da = g · bᵀ} and {@code db = aᵀ · g}.
 */
final class MatMul extends Function {
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0];
        b = in[1];
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0)) {
            throw new IllegalArgumentException("matmul: shapes " + a.shape() + " and " + b.shape()
                    + " cannot be multiplied: both must be 2-D, [N, K] · [K, M], with the inner sizes equal");
        }
        Tensor out = Tensor.zeros(a.dim(0), b.dim(1));
        Gemm.ab(a.data(), b.data(), out.data(), a.dim(0), a.dim(1), b.dim(1), false);
        return out;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = a.dim(0);
        int k = a.dim(1);
        int m = b.dim(1);
        Tensor da = null;
        Tensor db = null;
        if (needsInputGrad(0)) {
            da = Tensor.gradientBuffer(a.shape());
            Gemm.abt(g.data(), b.data(), da.data(), n, m, k, false);
        }
        if (isLeafInput(1)) {
            b.accumulateGrad((buf, overwrite) -> Gemm.atb(a.data(), g.data(), buf, k, n, m, !overwrite));
        } else if (needsInputGrad(1)) {
            db = Tensor.gradientBuffer(b.shape());
            Gemm.atb(a.data(), g.data(), db.data(), k, n, m, false);
        }
        return new Tensor[] {da, db};
    }
}
