package dev.nabla.ops;

import dev.nabla.kernel.RecurrentKernels;
import dev.nabla.tensor.Tensor;

/**
 * One LSTM layer over a sequence (PyTorch's {@code torch.nn.LSTM}, gate order i, f, g, o), fused as
 * {@link RecurrentLayer} says, which also gives the shapes. Per step, with {@code a = W_ih x_t + b_ih + W_hh h_{t−1}
 * + b_hh} cut into four blocks of H:
 * <pre>
 * i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
 * c_t = f ⊙ c_{t−1} + i ⊙ g        h_t = o ⊙ tanh(c_t)
 * </pre>
 * <p>Backward, per step from the last: c_t reaches the loss through h_t and through c_{t+1} (as f_{t+1} ⊙ c_t), so
 * with dh = dL/dh_t and dc_rec = dL/dc_t through step t + 1 (at first, g_{c_n}):
 * <pre>
 * dc_t  = dc_rec + dh ⊙ o ⊙ (1 − tanh² c_t)
 * da_o  = dh ⊙ tanh(c_t) ⊙ o(1 − o)           (σ′ = σ(1 − σ))
 * da_i  = dc_t ⊙ g ⊙ i(1 − i)
 * da_g  = dc_t ⊙ i ⊙ (1 − g²)                  (tanh′ = 1 − tanh²)
 * da_f  = dc_t ⊙ c_{t−1} ⊙ f(1 − f)
 * dc_rec ← dc_t ⊙ f,  and at the end dc_0 = dc_rec
 * </pre>
 * The rest (dh through W_hh, the weight and input gradients) is the base's. Saves the activated gates, c_{t−1} and
 * tanh(c_t) of every step.
 */
final class LstmLayer extends RecurrentLayer {
    /** Per direction {@code [T, N, H]}: the cell state entering each step, and tanh of the cell state it leaves. */
    private float[][] cPrev;
    private float[][] tanhC;

    LstmLayer(int hidden, boolean bidirectional, boolean batchFirst) {
        super(4, hidden, bidirectional, batchFirst);
    }

    @Override
    boolean hasCell() {
        return true;
    }

    @Override
    void startDirection(int d, Tensor[] in) {
        if (d == 0) {
            cPrev = new float[dirs][];
            tanhC = new float[dirs][];
        }
        cPrev[d] = saved(steps * batch * hidden);
        tanhC[d] = saved(steps * batch * hidden);
    }

    @Override
    void step(int d, int time, Block b) {
        int at = row(time, b);
        System.arraycopy(b.c, 0, cPrev[d], at * hidden, b.c.length);
        RecurrentKernels.lstmForward(pre[d], at * 4 * hidden, b.hw, b.c, tanhC[d], at * hidden, b.h, b.rows, hidden);
    }

    @Override
    boolean stepBackward(int d, int time, Block b, float[] dgi) {
        int at = row(time, b);
        RecurrentKernels.lstmBackward(pre[d], at * 4 * hidden, tanhC[d], at * hidden, cPrev[d], at * hidden, b.dh, b.dc,
                b.dgh, b.rows, hidden);
        return false;
    }
}
