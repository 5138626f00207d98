package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * A batch of matrix products (PyTorch's {@code bmm}): a {@code [B, N, K]}, b {@code [B, K, M]}, out
 * {@code [B, N, M]}, {@code out[s] = a[s] · b[s]}, each product by {@link Gemm} on a copy of its matrices.
 * <p>Backward: per sample as {@link MatMul}: {@code da[s] = g[s] · b[s]ᵀ} and {@code db[s] = a[s]ᵀ · g[s]}.
 */
final class Bmm extends Function {
    private Tensor a;
    private Tensor b;

    @Override
    protected Tensor forward(Tensor... in) {
        a = in[0];
        b = in[1];
        if (a.rank() != 3 || b.rank() != 3 || a.dim(0) != b.dim(0) || a.dim(2) != b.dim(1)) {
            throw new IllegalArgumentException("bmm: shapes " + a.shape() + " and " + b.shape() + " cannot be "
                    + "multiplied: both must be 3-D, [B, N, K] · [B, K, M], with the batch and inner sizes equal");
        }
        int batch = a.dim(0);
        int n = a.dim(1);
        int k = a.dim(2);
        int m = b.dim(2);
        Tensor out = Tensor.zeros(batch, n, m);
        float[] c = new float[n * m];
        for (int s = 0; s < batch; s++) {
            Gemm.ab(matrix(a, s, n * k), matrix(b, s, k * m), c, n, k, m, false);
            System.arraycopy(c, 0, out.data(), s * n * m, n * m);
        }
        return out;
    }

    private static float[] matrix(Tensor t, int s, int size) {
        return Arrays.copyOfRange(t.data(), s * size, (s + 1) * size);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int batch = a.dim(0);
        int n = a.dim(1);
        int k = a.dim(2);
        int m = b.dim(2);
        Tensor da = needsInputGrad(0) ? Tensor.zeros(a.shape()) : null;
        Tensor db = needsInputGrad(1) ? Tensor.zeros(b.shape()) : null;
        float[] ga = new float[n * k];
        float[] gb = new float[k * m];
        for (int s = 0; s < batch; s++) {
            float[] gs = matrix(g, s, n * m);
            if (da != null) {
                Gemm.abt(gs, matrix(b, s, k * m), ga, n, m, k, false);
                System.arraycopy(ga, 0, da.data(), s * n * k, n * k);
            }
            if (db != null) {
                Gemm.atb(matrix(a, s, n * k), gs, gb, k, n, m, false);
                System.arraycopy(gb, 0, db.data(), s * k * m, k * m);
            }
        }
        return new Tensor[] {da, db};
    }
}
