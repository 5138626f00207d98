package dev.nabla.ops;

import dev.nabla.kernel.RecurrentKernels;
import dev.nabla.tensor.Tensor;

/**
 * One Elman RNN layer over a sequence (PyTorch's {@code torch.nn.RNN}), fused as {@link RecurrentLayer} says, which
 * also gives the shapes. Per step {@code h_t = f(a)} with {@code a = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh} and f
 * tanh or relu.
 * <p>Backward, per step from the last, with dh = dL/dh_t (the output's gradient plus what came back from t + 1):
 * {@code da = dh ⊙ f′(a)}, read from the saved h_t: {@code 1 − h_t²} for tanh, {@code [h_t > 0]} for relu (0 at
 * 0, as PyTorch). Saves h_t of every step, over the input projection.
 */
final class RnnLayer extends RecurrentLayer {
    private final boolean relu;

    RnnLayer(boolean relu, int hidden, boolean bidirectional, boolean batchFirst) {
        super(1, hidden, bidirectional, batchFirst);
        this.relu = relu;
    }

    @Override
    void startDirection(int d, Tensor[] in) {
    }

    @Override
    void step(int d, int time, Block b) {
        RecurrentKernels.rnnForward(pre[d], row(time, b) * hidden, b.hw, relu, b.h, b.rows, hidden);
    }

    @Override
    boolean stepBackward(int d, int time, Block b, float[] dgi) {
        RecurrentKernels.rnnBackward(pre[d], row(time, b) * hidden, b.dh, relu, b.dgh, b.rows, hidden);
        return false;
    }
}
