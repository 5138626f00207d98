package dev.nabla.ops;

import dev.nabla.kernel.RecurrentKernels;
import dev.nabla.tensor.Tensor;

/**
 * One GRU layer over a sequence (PyTorch's {@code torch.nn.GRU}, gate order r, z, n), fused as
 * {@link RecurrentLayer} says, which also gives the shapes. Per step, with the input part {@code gi = W_ih x_t + b_ih}
 * and the hidden part {@code gh = W_hh h_{t−1} + b_hh}, each cut into blocks r, z, n of H:
 * <pre>
 * r = σ(gi_r + gh_r)   z = σ(gi_z + gh_z)   n = tanh(gi_n + r ⊙ gh_n)
 * h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * </pre>
 * <p><b>Note:</b> r multiplies {@code gh_n = W_hn h + b_hn} including its bias, so b_hn cannot be folded into the
 * input projection as the other biases are: the step adds it (PyTorch's convention; the original paper puts r
 * before W_hn).
 * <p>Backward, per step from the last, with dh = dL/dh_t (the output's gradient plus what came back from t + 1):
 * <pre>
 * dz    = dh ⊙ (h_{t−1} − n)      da_z = dz ⊙ z(1 − z)
 * dn    = dh ⊙ (1 − z)            da_n = dn ⊙ (1 − n²)       (the gradient of n's pre-activation)
 * dr    = da_n ⊙ gh_n             da_r = dr ⊙ r(1 − r)
 * d gi  = [da_r, da_z, da_n]                   → dW_ih, db_ih, dx
 * d gh  = [da_r, da_z, da_n ⊙ r]               → dW_hh, db_hh, and dh_{t−1} = d gh · W_hh + dh ⊙ z
 * </pre>
 * Saves r, z, n and gh_n of every step.
 */
final class GruLayer extends RecurrentLayer {
    private float[][] hn;
    private float[][] bhn;

    GruLayer(int hidden, boolean bidirectional, boolean batchFirst) {
        super(3, hidden, bidirectional, batchFirst);
    }

    @Override
    float[] inputBias(float[] bIh, float[] bHh) {
        if (bIh == null) {
            return null;
        }
        float[] b = bIh.clone();
        for (int j = 0; j < 2 * hidden; j++) {
            b[j] += bHh[j];
        }
        return b;
    }

    @Override
    void startDirection(int d, Tensor[] in) {
        if (d == 0) {
            hn = new float[dirs][];
            bhn = new float[dirs][];
        }
        hn[d] = saved(steps * batch * hidden);
        Tensor bHh = in[weight(d, 3)];
        bhn[d] = bHh == null ? null : java.util.Arrays.copyOfRange(bHh.data(), 2 * hidden, 3 * hidden);
    }

    @Override
    void step(int d, int time, Block b) {
        int at = row(time, b);
        RecurrentKernels.gruForward(pre[d], at * 3 * hidden, b.hw, bhn[d], hn[d], at * hidden, b.h, b.rows, hidden);
    }

    @Override
    boolean separateHiddenGradient() {
        return true;
    }

    @Override
    boolean stepBackward(int d, int time, Block b, float[] dgi) {
        int at = row(time, b);
        RecurrentKernels.gruBackward(pre[d], at * 3 * hidden, hn[d], at * hidden, hPrev[d], at * hidden, b.dh, dgi,
                at * 3 * hidden, b.dgh, b.dhRec, b.rows, hidden);
        return true;
    }
}
