package dev.nabla.ops;

import dev.nabla.kernel.RecurrentKernels;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

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
    private float[][] cPrev;
    private float[][] tanhC;
    private float[] c;
    private float[] dc;

    LstmLayer(int hidden, boolean bidirectional, boolean batchFirst) {
        super(4, hidden, bidirectional, batchFirst);
    }

    @Override
    boolean hasCell() {
        return true;
    }

    @Override
    void startDirection(int d, Tensor[] in) {
        int state = batch * hidden;
        if (d == 0) {
            cPrev = new float[dirs][];
            tanhC = new float[dirs][];
            c = new float[state];
        }
        cPrev[d] = new float[steps * state];
        tanhC[d] = new float[steps * state];
        if (in[C0] == null) {
            Arrays.fill(c, 0f);
        } else {
            System.arraycopy(in[C0].data(), d * state, c, 0, state);
        }
    }

    @Override
    void step(int d, int time, float[] hw, float[] h) {
        int state = batch * hidden;
        System.arraycopy(c, 0, cPrev[d], time * state, state);
        RecurrentKernels.lstmForward(pre[d], time * batch * 4 * hidden, hw, c, tanhC[d], time * state, h, batch, hidden);
    }

    @Override
    void finishDirection(int d, float[] out, int at) {
        System.arraycopy(c, 0, out, at, c.length);
    }

    @Override
    void startBackward(int d, float[] g, int at) {
        if (dc == null) {
            dc = scratch(batch * hidden);
        }
        System.arraycopy(g, at, dc, 0, dc.length);
    }

    @Override
    boolean stepBackward(int d, int time, float[] dh, float[] dgi, float[] dgh, float[] dhPrev) {
        int state = batch * hidden;
        RecurrentKernels.lstmBackward(pre[d], time * batch * 4 * hidden, tanhC[d], time * state, cPrev[d], time * state,
                dh, dc, dgh, batch, hidden);
        return false;
    }

    @Override
    void finishBackward(int d, float[] dc0) {
        if (dc0 != null) {
            System.arraycopy(dc, 0, dc0, d * dc.length, dc.length);
        }
    }
}
