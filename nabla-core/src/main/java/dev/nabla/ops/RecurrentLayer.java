package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.kernel.Elementwise;
import dev.nabla.kernel.Gemm;
import dev.nabla.kernel.Parallel;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Consumer;

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

    /** Prepares direction d before its first step: the arrays it saves for backward. */
    abstract void startDirection(int d, Tensor[] in);

    /**
     * Step {@code time} of direction d for the samples of block b: the gates from {@code pre[d]}'s rows of those
     * samples at that step and {@code b.hw} = h·W_hhᵀ; updates {@code b.h} (and the LSTM's {@code b.c}) in place and
     * saves what backward needs.
     */
    abstract void step(int d, int time, Block b);

    /** True when the gradient of h·W_hhᵀ + b_hh differs from that of the input projection (the GRU). */
    boolean separateHiddenGradient() {
        return false;
    }

    /**
     * The backward of step {@code time} for the samples of block b: from {@code b.dh} = dL/dh_t (and the LSTM's
     * {@code b.dc}), writes the gradient of h·W_hhᵀ + b_hh into {@code b.dgh} and, when
     * {@link #separateHiddenGradient()}, dA_t into those samples' rows of that step of {@code dgi}
     * ({@code [T, N, G·H]}). Returns true when it also wrote a part of dL/dh_{t−1} that bypasses W_hh into
     * {@code b.dhRec}.
     */
    abstract boolean stepBackward(int d, int time, Block b, float[] dgi);

    /** Whether the layer has a cell state (the LSTM): the packed output then holds c_n after h_n. */
    boolean hasCell() {
        return false;
    }

    /** The index of block b's first sample at step {@code time} among the {@code [T, N]} rows of a saved array. */
    final int row(int time, Block b) {
        return time * batch + b.first;
    }

    /**
     * The samples {@code [first, first + rows)} of the batch, which one thread carries through every step, and their
     * states. The samples of a recurrent layer never meet: each has its own state, and W_hh multiplies each one's
     * row alone. So the batch is cut into one block per thread, and each thread runs the whole time loop of its
     * block, the products on its own rows. The threads then hand off work once per direction instead of twice per
     * step (the product h·W_hhᵀ, then the gates), which for the LSTM of {@code nabla bench lstm} (64 × 128 ·
     * 128 × 512 per step, a few tens of microseconds split two ways) left a thread waiting a quarter of the time.
     * Every row's arithmetic is the same however the batch is cut, so results do not depend on the thread count.
     */
    static final class Block {
        /** The first sample. */
        final int first;
        /** How many samples. */
        final int rows;
        /** Forward: the hidden state {@code [rows, H]}, h·W_hhᵀ {@code [rows, G·H]}, the LSTM's cell (else null). */
        float[] h;
        float[] hw;
        float[] c;
        /**
         * Backward: dL/dh_t {@code [rows, H]}, the part of it that came back from step t + 1, the gradient of
         * h·W_hhᵀ + b_hh {@code [rows, G·H]}, and the LSTM's dL/dc_t (else null).
         */
        float[] dh;
        float[] dhRec;
        float[] dgh;
        float[] dc;

        Block(int first, int rows) {
            this.first = first;
            this.rows = rows;
        }
    }

    /** Fewest samples in a block: below this a thread's product would be mostly padding of the 6-row tiles. */
    static final int MIN_BLOCK_ROWS = 8;

    /** The batch cut into blocks, one per thread at most, each of at least {@link #MIN_BLOCK_ROWS} samples. */
    private Block[] blocks() {
        int count = Math.max(1, Math.min(Parallel.threads(), batch / MIN_BLOCK_ROWS));
        Block[] blocks = new Block[count];
        for (int b = 0; b < count; b++) {
            int first = (int) ((long) batch * b / count);
            blocks[b] = new Block(first, (int) ((long) batch * (b + 1) / count) - first);
        }
        return blocks;
    }

    /** Runs {@code body} on every block, the blocks split over the threads. */
    private void forEachBlock(Block[] blocks, Consumer<Block> body) {
        long work = 2L * steps * batch * gates * hidden * (hidden + 8);
        Parallel.forRange(blocks.length, work, (from, to) -> {
            for (int b = from; b < to; b++) {
                body.accept(blocks[b]);
            }
        });
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
        xs = batchFirst ? swapLeadingDims(x.data(), n, t, inputSize, saved(x.size())) : x.data();
        int outputSize = t * n * dirs * hidden;
        Tensor packed = Tensor.activationBuffer(Shape.of(outputSize + dirs * state * (hasCell() ? 2 : 1)));
        float[] out = packed.data();
        pre = new float[dirs][];
        hPrev = new float[dirs][];
        wIh = new float[dirs][];
        wHh = new float[dirs][];
        Block[] blocks = blocks();
        for (Block b : blocks) {
            b.h = new float[b.rows * hidden];
            b.hw = new float[b.rows * gh];
            b.c = hasCell() ? new float[b.rows * hidden] : null;
        }
        float[] h0 = in[H0] == null ? null : in[H0].data();
        float[] c0 = in[C0] == null ? null : in[C0].data();
        for (int d = 0; d < dirs; d++) {
            wIh[d] = in[weight(d, W_IH)].data();
            wHh[d] = in[weight(d, W_HH)].data();
            float[] bias = in[weight(d, B_IH)] == null ? null
                    : inputBias(in[weight(d, B_IH)].data(), in[weight(d, B_HH)].data());
            pre[d] = saved(t * n * gh);
            Gemm.linear(xs, wIh[d], bias, Gemm.Epilogue.NONE, pre[d], t * n, inputSize, gh);
            hPrev[d] = saved(t * state);
            startDirection(d, in);
            int dir = d;
            forEachBlock(blocks, b -> forwardBlock(dir, b, h0, c0, out));
        }
        return packed;
    }

    /** Direction d's time loop for the samples of block b, from h_0 and c_0 (null for zeros) to the output. */
    private void forwardBlock(int d, Block b, float[] h0, float[] c0, float[] out) {
        int stateAt = d * batch * hidden + b.first * hidden;
        int size = b.rows * hidden;
        startState(b.h, h0, stateAt);
        if (b.c != null) {
            startState(b.c, c0, stateAt);
        }
        for (int s = 0; s < steps; s++) {
            int time = d == 0 ? s : steps - 1 - s;
            System.arraycopy(b.h, 0, hPrev[d], row(time, b) * hidden, size);
            Gemm.abt(b.h, wHh[d], b.hw, b.rows, hidden, gates * hidden, false);
            step(d, time, b);
            for (int i = 0; i < b.rows; i++) {
                System.arraycopy(b.h, i * hidden, out, outputOffset(time, b.first + i, d), hidden);
            }
        }
        int outputSize = steps * batch * dirs * hidden;
        System.arraycopy(b.h, 0, out, outputSize + stateAt, size);
        if (b.c != null) {
            System.arraycopy(b.c, 0, out, outputSize + dirs * batch * hidden + stateAt, size);
        }
    }

    /** Fills {@code state} from {@code initial} at {@code at}, or with zeros when initial is null. */
    private static void startState(float[] state, float[] initial, int at) {
        if (initial == null) {
            Arrays.fill(state, 0f);
        } else {
            System.arraycopy(initial, at, state, 0, state.length);
        }
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
        Tensor dx = needsInputGrad(X) ? Tensor.gradientBuffer(in[X].shape()) : null;
        float[] dxs = dx == null ? null : batchFirst ? scratch(dx.size()) : dx.data();
        Tensor dh0 = needsInputGrad(H0) ? Tensor.gradientBuffer(in[H0].shape()) : null;
        Tensor dc0 = needsInputGrad(C0) ? Tensor.gradientBuffer(in[C0].shape()) : null;
        Block[] blocks = blocks();
        for (Block b : blocks) {   // the pool hands out arrays on this thread only
            b.dh = scratch(b.rows * hidden);
            b.dhRec = scratch(b.rows * hidden);
            b.dgh = scratch(b.rows * gh);
            b.dc = hasCell() ? scratch(b.rows * hidden) : null;
        }
        for (int d = 0; d < dirs; d++) {
            float[] dgi = scratch(t * n * gh);
            float[] dghAll = separateHiddenGradient() ? scratch(t * n * gh) : dgi;
            int dir = d;
            forEachBlock(blocks, b -> backwardBlock(dir, b, g, dgi, dghAll,
                    dh0 == null ? null : dh0.data(), dc0 == null ? null : dc0.data()));
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
     * Direction d's backpropagation through time for the samples of block b, from the output's gradient g: writes
     * their rows of dA ({@code dgi}, and {@code dghAll} for the GRU) and of dh_0 and dc_0 (when not null).
     */
    private void backwardBlock(int d, Block b, float[] g, float[] dgi, float[] dghAll, float[] dh0, float[] dc0) {
        int gh = gates * hidden;
        int stateAt = d * batch * hidden + b.first * hidden;
        int size = b.rows * hidden;
        int outputSize = steps * batch * dirs * hidden;
        System.arraycopy(g, outputSize + stateAt, b.dhRec, 0, size);
        if (b.dc != null) {
            System.arraycopy(g, outputSize + dirs * batch * hidden + stateAt, b.dc, 0, size);
        }
        for (int s = steps - 1; s >= 0; s--) {
            int time = d == 0 ? s : steps - 1 - s;
            for (int i = 0; i < b.rows; i++) {
                int o = outputOffset(time, b.first + i, d);
                for (int j = 0; j < hidden; j++) {
                    b.dh[i * hidden + j] = g[o + j] + b.dhRec[i * hidden + j];
                }
            }
            boolean direct = stepBackward(d, time, b, dgi);
            Gemm.ab(b.dgh, wHh[d], b.dhRec, b.rows, gh, hidden, direct);
            System.arraycopy(b.dgh, 0, dghAll, row(time, b) * gh, b.rows * gh);
        }
        if (dh0 != null) {
            System.arraycopy(b.dhRec, 0, dh0, stateAt, size);
        }
        if (dc0 != null) {
            System.arraycopy(b.dc, 0, dc0, stateAt, size);
        }
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

    /**
     * An array the forward pass fills whole and keeps for backward; inside a training step, reused by the next one
     * ({@link Tensor#activationBuffer}).
     */
    static float[] saved(int length) {
        return Tensor.activationBuffer(Shape.of(length)).data();
    }

    /** An array for backward's own use, reused by later backward passes; its values are unspecified. */
    static float[] scratch(int length) {
        return Tensor.gradientBuffer(Shape.of(length)).data();
    }
}
