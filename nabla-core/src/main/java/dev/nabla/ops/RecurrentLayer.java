package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;

/**
 * One layer of a recurrent network (both directions when bidirectional) over a whole sequence, as one op with its
 * own backpropagation through time: the shared base of {@link LstmLayer}, {@link GruLayer} and {@link RnnLayer},
 * which supply the step's gates and their derivatives.
 *
 * <p>Shapes: T steps, N samples, I input features, H hidden units, G gates (LSTM 4, GRU 3, RNN 1), D directions.
 * Inputs: x {@code [T, N, I]} ({@code [N, T, I]} batch first), h_0 {@code [D, N, H]} or null (zeros), c_0 likewise
 * (LSTM only), then for each direction d {@code W_ih [G·H, I]}, {@code W_hh [G·H, H]}, {@code b_ih [G·H]},
 * {@code b_hh [G·H]} (the biases both null for a layer without). The output is one tensor, since an op has one:
 * the output {@code [T, N, D·H]} (in x's layout) followed by h_n {@code [D, N, H]} and, for the LSTM, c_n
 * {@code [D, N, H]}; {@link Functional#recurrent} cuts it apart with {@link FlatSlices}. The reverse direction runs
 * from t = T − 1 down to 0 and writes the second half of each output row.
 *
 * <p>Why fused: a graph of per-step ops would record G·T nodes per layer, allocate their outputs and walk them
 * back one by one. Here the forward is one matrix product for the input projection of every step,
 * {@code A = X·W_ihᵀ + b} ({@code [T·N, G·H]}, X time-major), then per step one product {@code h_{t−1}·W_hhᵀ} and one
 * pass of the step's kernel ({@link dev.nabla.kernel.RecurrentKernels}). It keeps for backward only what BPTT
 * needs: the gates (activated, over A), the state entering each step {@code H_prev [T, N, H]}, and what the kind
 * adds (the LSTM's cells, the GRU's {@code W_hn h + b_hn}).
 *
 * <p>Backward (BPTT). Write a_t for the step's gate pre-activations, {@code a_t = A_t + h_{t−1}·W_hhᵀ} (+ b_hh), and
 * dA_t = dL/da_t. The state h_t feeds the output at t and the next step, so going back from the last step,
 * {@code dh_t = g_out,t + dh_rec} where dh_rec, the gradient that came back through W_hh from step t + 1, starts as
 * g_{h_n}. The kind's kernel turns dh_t (and, for the LSTM, the cell's gradient) into dA_t; then
 * {@code dh_rec = dA_t·W_hh} (G·H·H multiply-adds per sample, one product per step) plus, for the GRU, its direct
 * path {@code dh_t ⊙ z}. After the loop, since a_t is linear in W_ih, W_hh, x and the biases, the sums over t are
 * single products over all steps: {@code dW_ih = dAᵀ·X}, {@code dW_hh = dAᵀ·H_prev}, {@code dX = dA·W_ih},
 * {@code db_ih = db_hh = Σ_rows dA}, and {@code dh_0 = dh_rec} at the end. (The GRU's r multiplies its hidden part
 * of the n gate, so there the gradient of {@code h·W_hhᵀ + b_hh} differs from dA in the n block: {@code dA_h}.)
 */
abstract sealed class RecurrentLayer extends Function permits LstmLayer, GruLayer, RnnLayer {
    static final int X = 0;
    static final int H0 = 1;
    static final int C0 = 2;
    private static final int FIRST_WEIGHT = 3;
    private static final int W_IH = 0;
    private static final int W_HH = 1;
    private static final int B_IH = 2;
    private static final int B_HH = 3;

    final int gates;
    final int hidden;
    final int dirs;
    private final boolean batchFirst;
    int steps;
    int batch;
    private int inputSize;
    /** x, time-major {@code [T, N, I]}. */
    private float[] xs;
    /** Per direction {@code [T, N, G·H]}: the input projection, then the gates the step saves over it. */
    float[][] pre;
    /** Per direction {@code [T, N, H]}: the hidden state entering step t (h_{t−1}, or h_{t+1} in reverse). */
    float[][] hPrev;
    private float[][] wIh;
    private float[][] wHh;

    RecurrentLayer(int gates, int hidden, boolean bidirectional, boolean batchFirst) {
        this.gates = gates;
        this.hidden = hidden;
        this.dirs = bidirectional ? 2 : 1;
        this.batchFirst = batchFirst;
    }

    /** The input index of direction d's weight {@code which} (W_IH, W_HH, B_IH, B_HH). */
    static int weight(int d, int which) {
        return FIRST_WEIGHT + 4 * d + which;
    }

    /** The op's inputs in order: x, h0, c0, then W_ih, W_hh, b_ih, b_hh of each direction (biases may be null). */
    static Tensor[] inputs(Tensor x, Tensor h0, Tensor c0, Tensor[] directionWeights) {
        Tensor[] in = new Tensor[FIRST_WEIGHT + directionWeights.length];
        in[X] = x;
        in[H0] = h0;
        in[C0] = c0;
        System.arraycopy(directionWeights, 0, in, FIRST_WEIGHT, directionWeights.length);
        return in;
    }

    // ---------------------------------------------------------------- what each kind supplies

    /**
     * The bias added to the input projection, {@code [G·H]}: b_ih + b_hh wherever b_hh is only added (every gate but
     * the GRU's n), so the step adds none; null when both are null.
     */
    float[] inputBias(float[] bIh, float[] bHh) {
        if (bIh == null) {
            return null;
        }
        float[] b = bIh.clone();
        for (int j = 0; j < b.length; j++) {
            b[j] += bHh[j];
        }
        return b;
    }

    /** Prepares direction d before its first step: the arrays it saves, its initial cell state. */
    abstract void startDirection(int d, Tensor[] in);

    /**
     * Step {@code time} of direction d: the gates from {@code pre[d]}'s rows of that step and {@code hw} =
     * h·W_hhᵀ {@code [N, G·H]}; updates h {@code [N, H]} in place and saves what backward needs.
     */
    abstract void step(int d, int time, float[] hw, float[] h);

    /** Writes direction d's final cell state into {@code out} from {@code at} on (LSTM only). */
    void finishDirection(int d, float[] out, int at) {
    }

    /** True when the gradient of h·W_hhᵀ + b_hh differs from that of the input projection (the GRU). */
    boolean separateHiddenGradient() {
        return false;
    }

    /** Prepares direction d's backward: reads the gradient of the final cell state from {@code g} at {@code at}. */
    void startBackward(int d, float[] g, int at) {
    }

    /**
     * The backward of step {@code time}: from dh = dL/dh_t {@code [N, H]}, writes dA_t into {@code dgi} (the rows of
     * that step of the whole {@code [T, N, G·H]}) — unless {@link #separateHiddenGradient()} is false, when it writes
     * only {@code dgh} — and the gradient of h·W_hhᵀ + b_hh into {@code dgh} {@code [N, G·H]}. Returns true when it
     * also wrote a part of dL/dh_{t−1} that bypasses W_hh into {@code dhPrev}.
     */
    abstract boolean stepBackward(int d, int time, float[] dh, float[] dgi, float[] dgh, float[] dhPrev);

    /** Writes dL/dc_0 of direction d into {@code dc0} ({@code [D, N, H]}) when it is not null (LSTM only). */
    void finishBackward(int d, float[] dc0) {
    }

    /** Whether the packed output holds c_n after h_n. */
    boolean hasCell() {
        return false;
    }

    // ---------------------------------------------------------------- forward

    @Override
    protected final Tensor forward(Tensor... in) {
        Tensor x = in[X];
        steps = batchFirst ? x.dim(1) : x.dim(0);
        batch = batchFirst ? x.dim(0) : x.dim(1);
        inputSize = x.dim(2);
        int t = steps;
        int n = batch;
        int gh = gates * hidden;
        int state = n * hidden;
        xs = batchFirst ? swapLeadingDims(x.data(), n, t, inputSize, new float[x.size()]) : x.data();
        int outputSize = t * n * dirs * hidden;
        Tensor packed = Tensor.zeros(outputSize + dirs * state * (hasCell() ? 2 : 1));
        float[] out = packed.data();
        pre = new float[dirs][];
        hPrev = new float[dirs][];
        wIh = new float[dirs][];
        wHh = new float[dirs][];
        float[] hw = new float[n * gh];
        float[] h = new float[state];
        for (int d = 0; d < dirs; d++) {
            wIh[d] = in[weight(d, W_IH)].data();
            wHh[d] = in[weight(d, W_HH)].data();
            float[] bias = in[weight(d, B_IH)] == null ? null
                    : inputBias(in[weight(d, B_IH)].data(), in[weight(d, B_HH)].data());
            pre[d] = new float[t * n * gh];
            Gemm.linear(xs, wIh[d], bias, Gemm.Epilogue.NONE, pre[d], t * n, inputSize, gh);
            hPrev[d] = new float[t * state];
            if (in[H0] == null) {
                java.util.Arrays.fill(h, 0f);
            } else {
                System.arraycopy(in[H0].data(), d * state, h, 0, state);
            }
            startDirection(d, in);
            for (int s = 0; s < t; s++) {
                int time = d == 0 ? s : t - 1 - s;
                System.arraycopy(h, 0, hPrev[d], time * state, state);
                Gemm.abt(h, wHh[d], hw, n, hidden, gh, false);
                step(d, time, hw, h);
                for (int i = 0; i < n; i++) {
                    System.arraycopy(h, i * hidden, out, outputOffset(time, i, d), hidden);
                }
            }
            System.arraycopy(h, 0, out, outputSize + d * state, state);
            finishDirection(d, out, outputSize + (dirs + d) * state);
        }
        return packed;
    }

    /** Where sample i's hidden state of direction d at step {@code time} starts in the output. */
    private int outputOffset(int time, int i, int d) {
        int row = batchFirst ? i * steps + time : time * batch + i;
        return (row * dirs + d) * hidden;
    }

    /** {@code [a, b, c]} row-major → {@code [b, a, c]}. Reads src; writes and returns dst. */
    private static float[] swapLeadingDims(float[] src, int a, int b, int c, float[] dst) {
        for (int i = 0; i < a; i++) {
            for (int j = 0; j < b; j++) {
                System.arraycopy(src, (i * b + j) * c, dst, (j * a + i) * c, c);
            }
        }
        return dst;
    }

    // ---------------------------------------------------------------- backward

    @Override
    protected final Tensor[] backward(Tensor gradOutput) {
        float[] g = gradOutput.data();
        Tensor[] in = inputs();
        Tensor[] grads = new Tensor[in.length];
        int t = steps;
        int n = batch;
        int gh = gates * hidden;
        int state = n * hidden;
        int outputSize = t * n * dirs * hidden;
        Tensor dx = needsInputGrad(X) ? Tensor.gradientBuffer(in[X].shape()) : null;
        float[] dxs = dx == null ? null : batchFirst ? scratch(dx.size()) : dx.data();
        Tensor dh0 = needsInputGrad(H0) ? Tensor.gradientBuffer(in[H0].shape()) : null;
        Tensor dc0 = needsInputGrad(C0) ? Tensor.gradientBuffer(in[C0].shape()) : null;
        float[] dh = scratch(state);
        float[] dhRec = scratch(state);
        float[] dgh = scratch(n * gh);
        for (int d = 0; d < dirs; d++) {
            float[] dgi = scratch(t * n * gh);
            float[] dghAll = separateHiddenGradient() ? scratch(t * n * gh) : dgi;
            System.arraycopy(g, outputSize + d * state, dhRec, 0, state);
            startBackward(d, g, outputSize + (dirs + d) * state);
            for (int s = t - 1; s >= 0; s--) {
                int time = d == 0 ? s : t - 1 - s;
                for (int i = 0; i < n; i++) {
                    int o = outputOffset(time, i, d);
                    for (int j = 0; j < hidden; j++) {
                        dh[i * hidden + j] = g[o + j] + dhRec[i * hidden + j];
                    }
                }
                boolean direct = stepBackward(d, time, dh, dgi, dgh, dhRec);
                Gemm.ab(dgh, wHh[d], dhRec, n, gh, hidden, direct);
                System.arraycopy(dgh, 0, dghAll, time * n * gh, n * gh);
            }
            if (dh0 != null) {
                System.arraycopy(dhRec, 0, dh0.data(), d * state, state);
            }
            finishBackward(d, dc0 == null ? null : dc0.data());
            float[] hp = hPrev[d];
            grads[weight(d, W_IH)] = gradient(weight(d, W_IH),
                    (buf, overwrite) -> Gemm.atb(dgi, xs, buf, gh, t * n, inputSize, !overwrite));
            grads[weight(d, W_HH)] = gradient(weight(d, W_HH),
                    (buf, overwrite) -> Gemm.atb(dghAll, hp, buf, gh, t * n, hidden, !overwrite));
            grads[weight(d, B_IH)] = gradient(weight(d, B_IH),
                    (buf, overwrite) -> Elementwise.sumRows(dgi, buf, overwrite));
            grads[weight(d, B_HH)] = gradient(weight(d, B_HH),
                    (buf, overwrite) -> Elementwise.sumRows(dghAll, buf, overwrite));
            if (dxs != null) {
                Gemm.ab(dgi, wIh[d], dxs, t * n, gh, inputSize, d > 0);
            }
        }
        if (dx != null && batchFirst) {
            swapLeadingDims(dxs, t, n, inputSize, dx.data());
        }
        grads[X] = dx;
        grads[H0] = dh0;
        grads[C0] = dc0;
        return grads;
    }

    /**
     * The gradient of input {@code i} from {@code writer}: added straight into a parameter's gradient (returning
     * null), or into a fresh buffer that is returned; null when the input needs none.
     */
    private Tensor gradient(int i, Tensor.GradWriter writer) {
        if (isLeafInput(i)) {
            inputs()[i].accumulateGrad(writer);
            return null;
        }
        if (!needsInputGrad(i)) {
            return null;
        }
        Tensor grad = Tensor.gradientBuffer(inputs()[i].shape());
        writer.write(grad.data(), true);
        return grad;
    }

    /** An array for backward's own use, reused by later backward passes; its values are unspecified. */
    static float[] scratch(int length) {
        return Tensor.gradientBuffer(Shape.of(length)).data();
    }
}
