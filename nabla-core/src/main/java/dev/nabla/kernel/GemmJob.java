package dev.nabla.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Carries out a {@link GemmPlan} on one product's operands: the {@link TeamJob} whose units (chunks of C, or guided
 * claims of tile columns or rows, as the plan splits it) the threads of a call claim. {@link #open} gives it the
 * plan and the operands of one call, {@link #clear} forgets the arrays after it. Each unit is computed with the
 * claiming thread's {@link GemmWorkspace}, which is passed down, with the array the tiles go to, as arguments.
 *
 * <p>A unit, rows [i0, i1) × columns [j0, j1) of the product computed, runs BLIS's loops with the roles of the
 * caches swapped (which suits a kernel that broadcasts A):
 * <pre>
 * for pc in k, step kc ≤ KC              one k block (Aᵀ packed here when the plan packs it)
 *   for jc in [j0, j1), step blockCols   one B block, packed or in place (≤ 1 MiB) → L2
 *     for i in [i0, i1), step MR         one micro-panel of A, MR × kc (≤ 28 KiB) → L1
 *       for j in the block, step NR      one MR × NR tile of C: a kernel call (GemmKernels)
 * </pre>
 * k blocks are outside column blocks, so that a packed Aᵀ is packed once per k block; each element still takes its
 * k blocks in order. Edges: a micro-panel of fewer than MR rows, or a B panel of fewer than NR columns, is packed
 * with zero padding ({@link GemmPacking}); a tile that sticks out of C is computed in the workspace's tile and the
 * valid part copied. The bias and the epilogue are applied to a unit's part of C right after it is computed, by the
 * thread that computed it, while it is still in that core's cache.
 */
final class GemmJob extends TeamJob {
    private static final int L = GemmKernels.L;

    /** Kept after {@link #clear}: a late worker may still ask it for a claim size (a claim it cannot win). */
    private GemmPlan plan;
    /** The operands of the product computed: A and B swapped when the plan computes Cᵀ. */
    private float[] a;
    private float[] b;
    /** C (m × n as asked; Cᵀ's element (i, j) at {@code c[j·m + i]} when the plan computes Cᵀ). */
    private float[] c;
    /** Added to each column of C after the product, or null. */
    private float[] bias;
    /** Applied to C after the bias. */
    private Gemm.Epilogue epilogue = Gemm.Epilogue.NONE;

    /**
     * Sets the product {@code c (+)= op(a)·op(b)}, then f(· + bias), planned by {@code plan}, and opens it
     * ({@link TeamJob#open}), every unit unclaimed.
     */
    void open(GemmPlan plan, float[] a, float[] b, float[] bias, Gemm.Epilogue f, float[] c) {
        boolean swap = plan.route().transposesC();
        this.plan = plan;
        this.a = swap ? b : a;
        this.b = swap ? a : b;
        this.c = c;
        this.bias = bias;
        this.epilogue = f;
        open(plan.units());
    }

    /** Forgets the arrays of the last product, so that they are not retained. */
    void clear() {
        a = null;
        b = null;
        c = null;
        bias = null;
        epilogue = Gemm.Epilogue.NONE;
    }

    @Override
    protected int claimSize(int left) {
        return plan.claimSize(left);
    }

    @Override
    protected void runUnits(int from, int to) {
        run(from, to, GemmWorkspace.current());
    }

    @Override
    protected void afterWork() {
        GemmWorkspace.current().bAllJob = null;   // what bAll holds is valid for this thread's work on one product only
    }

    /** Computes units {@code [from, to)} of the product with the buffers of {@code ws}. */
    private void run(int from, int to, GemmWorkspace ws) {
        GemmPlan p = plan;
        int m = p.rows();
        int n = p.cols();
        int i0 = p.rowStart(from);
        int i1 = p.rowEnd(from, to);
        int j0 = p.colStart(from);
        int j1 = p.colEnd(from, to);
        if (p.k() == 0) {
            for (int i = i0; i < i1 && !p.accumulate(); i++) {
                Arrays.fill(c, i * n + j0, i * n + j1, 0f);
            }
            finishTile(i0, i1, j0, j1, n);
            return;
        }
        if (p.route() == GemmPlan.Route.DOT) {
            dotBlock(ws, i0, i1);
            finishTile(i0, i1, 0, n, n);
        } else if (p.route() == GemmPlan.Route.TRANSPOSED_BUFFERED) {
            // rows [i0, i1) of Cᵀ, all its columns, in the thread's buffer; C[j, i] = Cᵀ[i, j] is at c[j·m + i]
            float[] t = ws.t((i1 - i0) * n);
            if (ws.bAllJob != this) {
                GemmPacking.packAllTransposedB(p, b, ws.rows, ws.bAll(p.k() * GemmPlan.ceil(n, p.nr()) * p.nr()));
                ws.bAllJob = this;
            }
            if (p.accumulate()) {
                GemmPacking.copyTransposed(false, t, c, m, n, i0, i1, j0, j1, ws.rows);
            }
            block(ws, t, i0, i0, i1, j0, j1);
            GemmPacking.copyTransposed(true, t, c, m, n, i0, i1, j0, j1, ws.rows);
            finishTile(j0, j1, i0, i1, m);   // rows [j0, j1) and columns [i0, i1) of C, whose rows are m long
        } else {
            block(ws, c, 0, i0, i1, j0, j1);
            finishTile(i0, i1, j0, j1, n);
        }
    }

    /**
     * Adds {@code bias[j]} to C[i, j], then applies the epilogue, over rows [i0, i1) and columns [j0, j1) of C,
     * whose rows are {@code width} long.
     */
    private void finishTile(int i0, int i1, int j0, int j1, int width) {
        if (bias == null && epilogue == Gemm.Epilogue.NONE) {
            return;
        }
        int vectorEnd = j0 + GemmKernels.S.loopBound(j1 - j0);
        for (int i = i0; i < i1; i++) {
            int row = i * width;
            if (bias != null) {
                int j = j0;
                for (; j < vectorEnd; j += L) {
                    FloatVector.fromArray(GemmKernels.S, c, row + j)
                            .add(FloatVector.fromArray(GemmKernels.S, bias, j))
                            .intoArray(c, row + j);
                }
                for (; j < j1; j++) {
                    c[row + j] += bias[j];
                }
            }
            epilogue.apply(c, row + j0, row + j1);
        }
    }

    /**
     * C[i0:i1, j0:j1] (+)= op(A)[i0:i1, :]·op(B)[:, j0:j1] of the product computed, with the tile kernels: tile (i, j)
     * goes to {@code out[(i − outRow)·n + j]} (n: columns of the product computed), which is C itself or, for
     * {@link GemmPlan.Route#TRANSPOSED_BUFFERED}, the thread's buffer of rows of Cᵀ from outRow on.
     */
    private void block(GemmWorkspace ws, float[] out, int outRow, int i0, int i1, int j0, int j1) {
        GemmPlan p = plan;
        int m = p.rows();
        int n = p.cols();
        int k = p.k();
        int mr = p.mr();
        int nr = p.nr();
        int ncMax = p.blockCols();
        boolean transA = p.op().transA();
        GemmPlan.BPacking bPacking = p.bPacking();
        boolean aBlockPacked = p.packsTransposedA(j1 - j0);
        for (int blk = 0, pc = 0; blk < p.kBlocks(); blk++) {
            int kc = p.kc(blk);
            boolean load = p.accumulate() || blk > 0;
            int panelStride = mr * kc + L;
            float[] aBlock = null;
            if (aBlockPacked) {
                aBlock = ws.aBlock(GemmPlan.ceil(i1 - i0, mr) * panelStride);
                GemmPacking.packTransposedABlock(a, m, i0, i1 - i0, pc, kc, mr, aBlock);
            }
            for (int jc = j0; jc < j1; jc += ncMax) {
                int nc = Math.min(ncMax, j1 - jc);
                int fullEnd = jc + nc / nr * nr;   // columns [fullEnd, jc + nc) form a partial panel
                float[] bPanels = ws.bPack;
                int bBase = 0;
                if (bPacking == GemmPlan.BPacking.TRANSPOSED_PANELS_ONCE) {
                    // packed once per product and thread, by packAllTransposedB
                    bPanels = ws.bAll();
                    bBase = pc * GemmPlan.ceil(n, nr) * nr + jc * kc;
                } else if (bPacking == GemmPlan.BPacking.TRANSPOSED_PANELS) {
                    GemmPacking.packTransposedB(b, n, k, jc, nc, pc, kc, nr, ws.rows, ws.bPack, 0);
                } else if (bPacking == GemmPlan.BPacking.PANELS) {
                    GemmPacking.packB(b, n, jc, nc, pc, kc, nr, ws.bPack, 0);
                } else if (fullEnd < jc + nc) {
                    GemmPacking.packB(b, n, fullEnd, jc + nc - fullEnd, pc, kc, nr, ws.bPack, 0);
                }
                for (int i = i0; i < i1; i += mr) {
                    int rows = Math.min(mr, i1 - i);
                    if (aBlockPacked) {
                        panelRow(ws, out, outRow, i, rows, jc, nc, pc, kc, load, bPanels, bBase,
                                aBlock, (i - i0) / mr * panelStride, 1, mr);
                    } else if (rows == mr && !transA) {
                        panelRow(ws, out, outRow, i, rows, jc, nc, pc, kc, load, bPanels, bBase, a, i * k + pc, k, 1);
                    } else if (rows == mr) {
                        panelRow(ws, out, outRow, i, rows, jc, nc, pc, kc, load, bPanels, bBase, a, pc * m + i, 1, m);
                    } else if (transA) {
                        GemmPacking.packTransposedA(a, m, i, rows, pc, kc, mr, ws.aPack);
                        panelRow(ws, out, outRow, i, rows, jc, nc, pc, kc, load, bPanels, bBase, ws.aPack, 0, 1, mr);
                    } else {
                        GemmPacking.packA(a, k, i, rows, pc, kc, mr, ws.aPack);
                        panelRow(ws, out, outRow, i, rows, jc, nc, pc, kc, load, bPanels, bBase, ws.aPack, 0, kc, 1);
                    }
                }
            }
            pc += kc;
        }
    }

    /**
     * One micro-panel of A (rows [i, i + rows), its value (r, p) at {@code ap[ao + r·ars + p·aks]}) against the B
     * block of columns [jc, jc + nc), k range [pc, pc + kc), whose packed panels start at {@code bPanels[bBase]}: one
     * kernel call per tile, into {@code out} as {@link #block} says.
     */
    private void panelRow(GemmWorkspace ws, float[] out, int outRow, int i, int rows, int jc, int nc, int pc, int kc,
                          boolean load, float[] bPanels, int bBase, float[] ap, int ao, int ars, int aks) {
        GemmPlan p = plan;
        int n = p.cols();
        int mr = p.mr();
        int nr = p.nr();
        boolean bInPlace = p.bPacking() == GemmPlan.BPacking.IN_PLACE;
        boolean transposed = p.route() == GemmPlan.Route.TRANSPOSED;
        for (int j = jc; j < jc + nc; j += nr) {
            int cols = Math.min(nr, jc + nc - j);
            float[] bp = bPanels;
            int bo = bInPlace ? 0 : bBase + (j - jc) * kc;   // the partial panel of B in place is packed at 0
            int bs = nr;
            if (bInPlace && cols == nr) {
                bp = b;
                bo = pc * n + j;
                bs = n;
            }
            if (rows == mr && cols == nr && !transposed) {
                GemmKernels.run(p.kernel(), kc, ap, ao, ars, aks, bp, bo, bs, out, (i - outRow) * n + j, n, load);
            } else {
                edgeTile(ws, out, outRow, i, rows, j, cols, load, kc, ap, ao, ars, aks, bp, bo, bs);
            }
        }
    }

    /**
     * A tile of rows × cols &lt; MR × NR, or any tile of {@link GemmPlan.Route#TRANSPOSED} (whose {@code out} is C,
     * holding the product computed transposed): computed in the workspace's tile (row stride NR), then copied out.
     */
    private void edgeTile(GemmWorkspace ws, float[] out, int outRow, int i, int rows, int j, int cols, boolean load,
                          int kc, float[] ap, int ao, int ars, int aks, float[] bp, int bo, int bs) {
        GemmPlan p = plan;
        int m = p.rows();
        int n = p.cols();
        int nr = p.nr();
        boolean transposed = p.route() == GemmPlan.Route.TRANSPOSED;
        float[] tile = ws.cTile;
        if (load && transposed) {
            for (int q = 0; q < cols; q++) {
                for (int r = 0, from = (j + q) * m + i; r < rows; r++) {
                    tile[r * nr + q] = out[from + r];
                }
            }
        } else if (load) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(out, (i + r - outRow) * n + j, tile, r * nr, cols);
            }
        }
        GemmKernels.run(p.kernel(), kc, ap, ao, ars, aks, bp, bo, bs, tile, 0, nr, load);
        if (transposed) {
            for (int q = 0; q < cols; q++) {
                for (int r = 0, to = (j + q) * m + i; r < rows; r++) {
                    out[to + r] = tile[r * nr + q];
                }
            }
        } else {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(tile, r * nr, out, (i + r - outRow) * n + j, cols);
            }
        }
    }

    /**
     * C[i0:i1, :] (+)= A[i0:i1, :]·op(B) with the dot-product kernel: rows of A and rows of Bᵀ are both contiguous
     * along k (Bᵀ is B itself for {@code abt}, else a transposed copy, n·k floats). All of k in one pass; the rows of
     * Bᵀ stay in L1.
     */
    private void dotBlock(GemmWorkspace ws, int i0, int i1) {
        GemmPlan p = plan;
        int k = p.k();
        int n = p.cols();
        boolean accumulate = p.accumulate();
        float[] bt = b;
        if (p.bPacking() == GemmPlan.BPacking.TRANSPOSED_ROWS) {
            bt = ws.bt(n * k);
            GemmPacking.transposeForDot(b, k, n, bt);
        }
        float[] sums = ws.sums;
        int rowsPer = GemmKernels.DOT_ROWS;
        int colsPer = GemmKernels.DOT_COLS;
        for (int i = i0; i < i1; i += rowsPer) {
            int rows = Math.min(rowsPer, i1 - i);
            for (int j = 0; j < n; j += colsPer) {
                int cols = Math.min(colsPer, n - j);
                // rows and columns past the edge repeat the last one; their sums are not stored
                if (L >= 16) {
                    GemmKernels.dot3x5(k, a, i * k, Math.min(i + 1, i + rows - 1) * k,
                            Math.min(i + 2, i + rows - 1) * k, bt, j * k, Math.min(j + 1, j + cols - 1) * k,
                            Math.min(j + 2, j + cols - 1) * k, Math.min(j + 3, j + cols - 1) * k,
                            Math.min(j + 4, j + cols - 1) * k, sums);
                } else {
                    GemmKernels.dot2x4(k, a, i * k, Math.min(i + 1, i + rows - 1) * k, bt, j * k,
                            Math.min(j + 1, j + cols - 1) * k, Math.min(j + 2, j + cols - 1) * k,
                            Math.min(j + 3, j + cols - 1) * k, sums);
                }
                for (int r = 0; r < rows; r++) {
                    int row = (i + r) * n + j;
                    for (int q = 0; q < cols; q++) {
                        float s = sums[r * colsPer + q];
                        c[row + q] = accumulate ? c[row + q] + s : s;
                    }
                }
            }
        }
    }
}
