package dev.nabla.kernel;

import java.util.Arrays;

/**
 * The copies of {@link GemmJob}: operands into the panels the tile kernels read, Bᵀ into rows for the dot-product
 * kernel, and rows of Cᵀ between a thread's buffer and C. Each method reads its source arrays, writes only the array
 * passed last (and {@code rows}, scratch, where it takes one), and states the layout it writes; which of them a
 * product uses, and why, is its {@link GemmPlan}'s part, and the loops that call them {@link GemmJob}'s.
 *
 * <p>Layouts, as the kernels take them ({@link GemmKernels}): an A micro-panel holds MR rows, either row by row
 * ({@link #packA}: row r at {@code r·kc}) or k-major ({@link #packTransposedA}: step p at {@code p·MR}); a B panel
 * holds NR columns, k-major (step p at {@code p·NR}). Rows or columns past the edge of the operand are zero, or
 * repeat the last one where the kernel's results for them are never stored. Transposes go through L × L register
 * blocks ({@code GemmKernels.transpose16}/{@code transpose8}, two-vector permutes, about 0.4 cycle per float).
 */
final class GemmPacking {
    private static final int L = GemmKernels.L;

    private GemmPacking() {
    }

    /**
     * Copies rows [i, i + rows) of A (m × k, row-major), columns [pc, pc + kc), into {@code dst} as MR rows of kc
     * floats; rows past {@code rows} are zero. Writes dst[0, mr·kc).
     */
    static void packA(float[] a, int k, int i, int rows, int pc, int kc, int mr, float[] dst) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a, (i + r) * k + pc, dst, r * kc, kc);
        }
        Arrays.fill(dst, rows * kc, mr * kc, 0f);
    }

    /**
     * Copies rows [i, i + rows) of op(A) = Aᵀ (A stored k × m), k range [pc, pc + kc), into {@code dst} k-major:
     * the MR values of step p at {@code dst[p·MR]}, zero past {@code rows}. May write up to L − MR floats past
     * dst[kc·MR).
     */
    static void packTransposedA(float[] a, int m, int i, int rows, int pc, int kc, int mr, float[] dst) {
        int p = 0;
        if (mr <= L) {
            // one vector per step, lanes past the rows masked to zero, while whole vectors stay inside a;
            // each store runs L − MR floats into the next step's slot, which is written next
            for (; p < kc && (long) (pc + p) * m + i + L <= a.length; p++) {
                GemmKernels.copyFirst(rows, a, (pc + p) * m + i, dst, p * mr);
            }
        }
        for (; p < kc; p++) {
            int src = (pc + p) * m + i;
            for (int r = 0; r < mr; r++) {
                dst[p * mr + r] = r < rows ? a[src + r] : 0f;
            }
        }
    }

    /**
     * Packs rows [i0, i0 + rows) of op(A) = Aᵀ (A stored k × m), k range [pc, pc + kc), into {@code dst} as
     * consecutive micro-panels laid out as in {@link #packTransposedA}, each followed by L floats of room (panel q at
     * {@code q·(MR·kc + L)}; dst must hold ⌈rows/MR⌉ of them). Reads each row of A once, contiguously: MR floats from
     * each of kc rows per micro-panel would touch kc pages per micro-panel.
     */
    static void packTransposedABlock(float[] a, int m, int i0, int rows, int pc, int kc, int mr, float[] dst) {
        int stride = mr * kc + L;
        for (int p = 0; p < kc; p++) {
            int src = (pc + p) * m + i0;
            for (int r0 = 0, d = p * mr; r0 < rows; r0 += mr, d += stride) {
                int count = Math.min(mr, rows - r0);
                if (mr <= L && src + r0 + L <= a.length) {
                    GemmKernels.copyFirst(count, a, src + r0, dst, d);
                } else {
                    for (int r = 0; r < mr; r++) {
                        dst[d + r] = r < count ? a[src + r0 + r] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Copies columns [j, j + cols) of B (k × n), k range [pc, pc + kc), into NR-wide panels at {@code dst[d]}: panel
     * q holds columns j + q·NR …, step p at {@code p·NR}; zero past {@code cols}. Each step's NR floats go by
     * {@link System#arraycopy}: a copy by Vector API loads and stores was no faster in the CNN's training step, and in
     * a process whose vector code had also run the batch-norm sums the JIT compiled it with its vectors as heap
     * objects (2 to 4 MB of garbage a step).
     */
    static void packB(float[] b, int n, int j, int cols, int pc, int kc, int nr, float[] dst, int d) {
        for (int q = 0; q < cols; q += nr) {
            int w = Math.min(nr, cols - q);
            int panel = d + q * kc;
            for (int p = 0; p < kc; p++) {
                int src = (pc + p) * n + j + q;
                int to = panel + p * nr;
                System.arraycopy(b, src, dst, to, w);
                if (w < nr) {
                    Arrays.fill(dst, to + w, to + nr, 0f);
                }
            }
        }
    }

    /**
     * Transposes columns [jc, jc + nc) of op(B) = Bᵀ (B stored n × k), k range [pc, pc + kc), into NR-wide panels at
     * {@code dst[d]} (layout as {@link #packB}). Columns past n repeat the last column; they only reach tile entries
     * that are never copied to C. {@code rows}: L ints of scratch.
     */
    static void packTransposedB(float[] b, int n, int k, int jc, int nc, int pc, int kc, int nr, int[] rows,
                                float[] dst, int d) {
        int blockable = (L == 16 || L == 8) ? kc / L * L : 0;
        for (int q = 0; q < nc; q += nr) {
            int panel = d + q * kc;
            for (int v = 0; v < nr; v += L) {
                for (int r = 0; r < L; r++) {
                    rows[r] = Math.min(jc + q + v + r, n - 1) * k + pc;
                }
                for (int p = 0; p < blockable; p += L) {
                    if (L == 16) {
                        GemmKernels.transpose16(b, rows, p, dst, panel + p * nr + v, nr);
                    } else {
                        GemmKernels.transpose8(b, rows, p, dst, panel + p * nr + v, nr);
                    }
                }
                for (int p = blockable; p < kc; p++) {
                    int to = panel + p * nr + v;
                    for (int r = 0; r < L; r++) {
                        dst[to + r] = b[rows[r] + p];
                    }
                }
            }
        }
    }

    /**
     * Packs all of op(B) = Bᵀ (B stored n × k) for {@code plan} ({@link GemmPlan.BPacking#TRANSPOSED_PANELS_ONCE}):
     * k block at pc and column block at jc from {@code dst[pc·N + jc·kc]}, N = n rounded up to NR, each as
     * {@link #packTransposedB} writes it. dst must hold k·N floats; {@code rows}: L ints of scratch.
     */
    static void packAllTransposedB(GemmPlan plan, float[] b, int[] rows, float[] dst) {
        int n = plan.cols();
        int k = plan.k();
        int nr = plan.nr();
        int padded = GemmPlan.ceil(n, nr) * nr;
        int ncMax = plan.blockCols();
        for (int blk = 0, pc = 0; blk < plan.kBlocks(); blk++) {
            int kc = plan.kc(blk);
            for (int jc = 0; jc < n; jc += ncMax) {
                packTransposedB(b, n, k, jc, Math.min(ncMax, n - jc), pc, kc, nr, rows, dst, pc * padded + jc * kc);
            }
            pc += kc;
        }
    }

    /**
     * Copies B (k × n) into {@code bt} as its transpose, n rows of k floats (row j at {@code j·k}), for the
     * dot-product kernel: L × L blocks transposed in registers where whole vectors stay inside b, the rest one float
     * at a time. Writes bt[0, n·k).
     */
    static void transposeForDot(float[] b, int k, int n, float[] bt) {
        int p = 0;
        if (n <= L) {
            // whole vectors must stay inside b: the last block of rows is copied one float at a time
            for (; p + L <= k && (p + L - 1) * n + L <= b.length; p += L) {
                if (L == 16) {
                    GemmKernels.transposeColumns16(b, p * n, n, n, bt, p, k);
                } else {
                    GemmKernels.transposeColumns8(b, p * n, n, n, bt, p, k);
                }
            }
        }
        for (; p < k; p++) {
            for (int j = 0; j < n; j++) {
                bt[j * k + p] = b[p * n + j];
            }
        }
    }

    /**
     * Copies rows [i0, i1), columns [j0, j1) of an m × n product between {@code t} (its rows from i0, row i at
     * {@code (i − i0)·n}) and {@code c}, which holds it transposed (element (i, j) at {@code c[j·m + i]}): into c
     * when {@code toC}, else into t. L × L blocks transposed in registers, the edges one float at a time.
     * {@code rows}: L ints of scratch.
     */
    static void copyTransposed(boolean toC, float[] t, float[] c, int m, int n, int i0, int i1, int j0, int j1,
                               int[] rows) {
        int iFull = i0 + (i1 - i0) / L * L;
        int jFull = j0 + (j1 - j0) / L * L;
        boolean blocks = L == 16 || L == 8;
        for (int i = i0; blocks && i < iFull; i += L) {
            for (int j = j0; j < jFull; j += L) {
                for (int r = 0; r < L; r++) {
                    rows[r] = toC ? (i + r - i0) * n : (j + r) * m;
                }
                float[] src = toC ? t : c;
                float[] dst = toC ? c : t;
                int s = toC ? j : i;
                int d = toC ? j * m + i : (i - i0) * n + j;
                int ldd = toC ? m : n;
                if (L == 16) {
                    GemmKernels.transpose16(src, rows, s, dst, d, ldd);
                } else {
                    GemmKernels.transpose8(src, rows, s, dst, d, ldd);
                }
            }
        }
        for (int i = i0; i < i1; i++) {
            int jFrom = blocks && i < iFull ? jFull : j0;
            for (int j = jFrom; j < j1; j++) {
                if (toC) {
                    c[j * m + i] = t[(i - i0) * n + j];
                } else {
                    t[(i - i0) * n + j] = c[j * m + i];
                }
            }
        }
    }
}
