package dev.nabla.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API path of {@link Gemm}: {@code C[m×n] (+)= op(A)·op(B)} with op(A) = A {@code [m×k]} or Aᵀ (A
 * stored {@code [k×m]}), op(B) = B {@code [k×n]} or Bᵀ (B stored {@code [n×k]}). Reads a and b; writes c.
 *
 * <p>Loop order (BLIS with the roles of the caches swapped, which suits a kernel that broadcasts A):
 * <pre>
 * for pc in k, step kc ≤ KC           one k block (Aᵀ packed here when it is packed)
 *   for jc in columns, step NC        one column block of C; B[pc:pc+kc, jc:jc+NC] packed (or in place) → L2
 *     for ir in rows, step MR         one micro-panel of A, MR × kc (≤ 28 KiB) → stays in L1
 *       for jr in the block, step NR  one MR × NR tile of C: a micro-kernel call (GemmKernels)
 * </pre>
 * <ul>
 * <li><b>KC = 512</b>, balanced: k is cut into ⌈k/512⌉ equal blocks (784 → 2 × 392, 1025 → 342 + 2 × 341),
 *     so that no block is too short to amortise loading and storing the C tile. Sized for a 48 KiB L1 and a
 *     2 MiB L2 per core (AMD Zen 5): against KC = 256, one thread, 1024³ 183 → 191 GFLOP/s, 2048³
 *     176 → 200, 128×784·(512×784)ᵀ 188 → 212, the shapes with k ≤ 512 within ±3 %;</li>
 * <li><b>NC = 512</b> columns: the packed B block, 512 × 512 floats = 1 MiB, fits in the 2 MiB L2 beside
 *     the A panel and the C tiles;</li>
 * <li><b>MR × NR</b>: the tile of the kernel chosen for the shape (14 × 32, 12 × 32, 8 × 48 or 16 × 16 with
 *     512-bit vectors), by least padded work over the measured kernel efficiency.</li>
 * </ul>
 *
 * <p>Packing, per operand and layout. The kernel takes any row and k strides for A and any row stride for B,
 * so most operands are read where they are:
 * <ul>
 * <li>A as stored row-major ({@code ab}, {@code abt}) is read in place: the MR rows of a micro-panel are MR
 *     short contiguous runs, which stay in L1 while the kernel sweeps the B block;</li>
 * <li>A stored transposed ({@code atb}) has its MR rows contiguous at each k; it is read in place when the
 *     chunk of C has at most 256 columns and otherwise packed, a whole k block at a time, into k-major
 *     micro-panels (then each panel is reused across many columns, and a strided walk through A would cost
 *     more than the copy); the packing reads rows of A contiguously;</li>
 * <li>B as stored ({@code ab}, {@code atb}) is read in place when m ≤ 256, since packing it costs
 *     O(k·n) and is only repaid over m rows, and copied into NR-wide panels otherwise;</li>
 * <li>B stored transposed ({@code abt}) must be transposed to give the kernel its vectors along n: L × L
 *     blocks are loaded as rows and transposed in registers (two-vector permutes), about 0.4 cycle per
 *     float. That is n·k floats per call whatever m is: for x·Wᵀ at batch 32 as much time as the multiply.
 *     So when m is small against n, {@code abt} computes Cᵀ = B·Aᵀ instead: B (n × k) is read in place as
 *     the A of that product and only A (m·k floats) is transposed, by each thread once per product
 *     ({@link Workspace#bAll}); each claim of rows of Cᵀ is computed into the thread's buffer
 *     ({@link Workspace#t}) with the ordinary tiles and copied into C by L × L register transposes. The elements are the same chains
 *     of multiply-adds (a·b = b·a exactly in a fused multiply-add), so the results are identical. Measured
 *     on one thread: 32×784·(512×784)ᵀ 138 → 181 GFLOP/s, 32×512·(256×512)ᵀ 137 → 186; at batch 128 the
 *     transpose is a quarter as large relative to the work, and the cost model keeps the direct way.</li>
 * </ul>
 * Edges: a micro-panel of fewer than MR rows, or a B panel of fewer than NR columns, is packed with zero
 * padding; a tile that sticks out of C is computed in a small buffer and the valid part copied to C.
 *
 * <p>Narrow products (n up to about 12, e.g. 10 output classes). A tile kernel one vector wide broadcasts one
 * A value per multiply-add, which holds it to two thirds of its speed, and the lanes past n are wasted. So
 * {@code ab} and {@code abt} take the dot-product kernel ({@code GemmKernels.dot3x5}): vectors run along k,
 * over rows of A and of Bᵀ (B itself for {@code abt}, a transposed copy of the n·k floats of B for
 * {@code ab}), and the lanes are summed in a fixed tree at the end. {@code atb} instead computes
 * Cᵀ = Bᵀ·A, a product whose long side runs along the vectors, with both operands read in place, and copies
 * each tile into C transposed. The choice follows the same cost model as the kernels.
 *
 * <p>Threads: C is cut into chunks of whole tiles, column ranges first (each packs only its own part of B),
 * which the threads claim one at a time, each with its own packing buffers ({@link Workspace}); see
 * {@link Call} and {@link Team}. Claims are guided ({@link #GUIDE}): wide first, narrow last, so that the
 * threads finish together. The arithmetic of an element depends on the shape only, never on the
 * thread, tile or chunk that computes it: with the tile kernels it is one chain of fused multiply-adds over
 * k in order (see {@link GemmKernels}), with the dot-product kernel a fixed pattern of lane sums. So results
 * do not depend on the thread count.
 *
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present; {@link Gemm} is the entry point.
 */
final class VectorGemm {
    /** Floats per vector. */
    static final int L = GemmKernels.L;
    /** Largest k block (see the class comment). */
    static final int KC = 512;
    /** Column block: the packed B block is at most KC × NC floats. */
    static final int NC = 512;
    /** B (as stored, k × n) is read in place rather than packed when m is at most this. */
    static final int B_IN_PLACE_MAX_M = 256;
    /** A stored transposed (k × m) is read in place rather than packed when n is at most this. */
    static final int AT_IN_PLACE_MAX_N = 256;
    /**
     * Work (2·m·n·k floating-point operations) below which a product runs on the calling thread alone: a
     * hand-off to a spinning worker costs a few microseconds, about 0.5 MFLOP of kernel time.
     */
    static final long PARALLEL_MIN_FLOPS = 2_000_000;
    /**
     * A multi-threaded product is cut into about this many chunks per thread (fewer when a chunk would do less
     * than {@link #CHUNK_MIN_FLOPS}), so that a thread that starts late does not hold up the others.
     */
    static final int CHUNKS_PER_THREAD = 4;
    static final long CHUNK_MIN_FLOPS = 500_000;
    /**
     * Guided claims: when C splits into at least 2 ranges of tile columns (or, for narrow C, tile rows) per
     * thread, a claim takes 1/(GUIDE·threads) of the tiles still unclaimed, and at least CHUNK_MIN_FLOPS of
     * work. The first claims are wide, so that an A micro-panel serves many tiles; the last are narrow, so that
     * the thread that finishes first waits for at most one narrow claim of another. Measured on 2 threads
     * against 8 equal chunks: atb 512×128·128×784 (3 chunks before, one thread doing two) 250 → 314 GFLOP/s,
     * 1024³ 326 → 350; the other training shapes within noise.
     */
    static final int GUIDE = 2;
    /** The plan's split of C: a grid of equal chunks, or guided claims of tile columns or of tile rows. */
    static final int GRID = 0;
    static final int COLUMNS = 1;
    static final int ROWS = 2;
    /**
     * Efficiency of the dot-product kernel relative to the tile kernels (lane sums included, k ≥ 128), for the
     * choice between them: narrow products (n ≤ 12 or so) take the dot-product kernel, because a tile kernel
     * with one vector per row broadcasts one A value per multiply-add and runs at two thirds of its speed.
     */
    static final double DOT_EFFICIENCY = 0.6;
    /** Cost factor of a transposed C (every tile copied in and out transposed), for choosing {@code transC}. */
    static final double SWAP_PENALTY = 1.3;
    /** Cost factor of A·Bᵀ computed as Cᵀ = B·Aᵀ through a buffer ({@code viaBuffer}). */
    static final double ABT_SWAP = 1.05;
    /**
     * Cost of transposing one float (a packing of Bᵀ, or a copy of C through the buffer of {@code viaBuffer})
     * in the units of {@link #cost} per step of k: about 0.4 cycle, the time of 13 multiply-add lanes.
     */
    static final double TRANSPOSE_COST = 13;

    private static final int MAX_MR;
    private static final int MAX_NR;

    static {
        int mr = 0;
        int nr = 0;
        for (int id : GemmKernels.IDS) {
            mr = Math.max(mr, GemmKernels.MR[id]);
            nr = Math.max(nr, GemmKernels.NV[id] * L);
        }
        MAX_MR = mr;
        MAX_NR = nr;
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private VectorGemm() {
    }

    /** {@code C (+)= op(A)·op(B)}, on up to {@link Parallel#threads()} threads; arguments as in {@link Gemm}. */
    static void multiply(boolean transA, boolean transB, float[] a, float[] b, float[] c, int m, int k, int n,
                         boolean accumulate) {
        multiply(transA, transB, a, b, null, Gemm.Epilogue.NONE, c, m, k, n, accumulate);
    }

    /**
     * As {@link #multiply(boolean, boolean, float[], float[], float[], int, int, int, boolean)}, then adds
     * {@code bias[j]} to column j of C (when bias is not null) and applies {@code f}, to each tile right after it is
     * computed, by the thread that computed it, while the tile is still in that core's cache.
     */
    static void multiply(boolean transA, boolean transB, float[] a, float[] b, float[] bias, Gemm.Epilogue f,
                         float[] c, int m, int k, int n, boolean accumulate) {
        int threads = Parallel.threads();
        boolean team = threads > 1 && 2L * m * n * k >= PARALLEL_MIN_FLOPS;
        Call call = WORKSPACE.get().call;
        call.set(transA, transB, a, b, bias, f, c, m, k, n, accumulate, team ? threads : 1);
        try {
            // when the team is busy this thread computes the product alone: same results, see the class comment
            call.runOn(team ? Team.of(threads) : null);
        } finally {
            call.clear();
        }
    }

    /** The kernel (an id of {@link GemmKernels#run}) with the least padded work per unit of its efficiency. */
    static int chooseKernel(int m, int n) {
        int best = -1;
        double bestCost = Double.MAX_VALUE;
        for (int id : GemmKernels.IDS) {
            double cost = cost(id, m, n);
            if (cost < bestCost) {
                best = id;
                bestCost = cost;
            }
        }
        return best;
    }

    /** Relative cost of a product on kernel {@code id}: its padded tile area over its efficiency. */
    static double cost(int id, int m, int n) {
        int mr = GemmKernels.MR[id];
        int nr = GemmKernels.NV[id] * L;
        return (double) ceil(m, mr) * mr * ceil(n, nr) * nr / GemmKernels.EFFICIENCY[id];
    }

    /**
     * The same for the dot-product kernel; {@code packB}: B must be transposed first, one float at a time, which
     * costs about as much as 2·L multiply-add lanes per float.
     */
    static double dotCost(int m, int n, boolean packB) {
        int rows = GemmKernels.DOT_ROWS;
        int cols = GemmKernels.DOT_COLS;
        return (double) ceil(m, rows) * rows * ceil(n, cols) * cols / DOT_EFFICIENCY + (packB ? 2.0 * L * n : 0);
    }

    private static int ceil(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Per-thread packing buffers, allocated once per thread: a call allocates nothing. */
    static final class Workspace {
        /** The packed B block: panels of kc × NR, one after the other. */
        final float[] bPack = new float[KC * NC + MAX_NR + L];
        /** The packed A micro-panel (MR × kc), plus room for whole-vector stores past its end. */
        final float[] aPack = new float[MAX_MR * KC + 2 * L];
        /** The C tile of an edge, MR × NR, row stride NR. */
        final float[] cTile = new float[MAX_MR * MAX_NR];
        /** Row offsets of a block transpose. */
        final int[] rows = new int[L];
        /** Aᵀ packed for a whole k block, grown to the largest seen (products with n > 256 only). */
        float[] aBlock = new float[0];
        /** Lane sums of the dot-product kernel. */
        final float[] sums = new float[32];
        /** Bᵀ for the dot-product kernel, grown to the largest n·k seen (narrow products only). */
        float[] bt = new float[0];
        /**
         * Where this thread's tiles go: row i, column j of C (of Cᵀ for {@code viaBuffer}) at
         * {@code out[(i − outRow)·ldo + j]}; C itself, or {@link #t}.
         */
        float[] out;
        int outRow;
        int ldo;
        /** The packed B panels of the current column and k block: {@link #bPack} or {@link #bAll}, from bBase. */
        float[] bPanels;
        int bBase;
        /**
         * All of op(B) packed, every k block and column block, for {@code viaBuffer} products (whose op(B) is the
         * small operand): packed once per product by each thread that computes part of it, the k block at pc and
         * column block at jc from {@code pc·N + jc·kc} (N = n rounded up to NR). Grown to the largest seen.
         */
        float[] bAll = new float[0];
        /** The call whose op(B) {@link #bAll} holds, during this thread's {@link Call#work} on it; else null. */
        Call bAllCall;
        /** Rows of Cᵀ of a buffered transposed product ({@code viaBuffer}), grown to the largest seen. */
        float[] t = new float[0];
        /** The products this thread starts, each computed by this thread and the team's workers. */
        final Call call = new Call();
    }

    /**
     * One product's arguments and plan, filled in by {@link #set} and cleared after the call so that the arrays
     * are not retained. The plan cuts C into chunks (a grid of row ranges × column ranges, in whole tiles, or
     * guided claims of tile columns or rows, see {@link #GUIDE}), which the threads of a call claim
     * ({@link TeamJob}).
     */
    static final class Call extends TeamJob {
        private boolean transA;
        private boolean transB;
        private boolean accumulate;
        private float[] a;
        private float[] b;
        private float[] c;
        private int m;
        private int k;
        private int n;
        private int kernel;
        private int mr;
        private int nr;
        /** Use the dot-product kernel (narrow A·B and A·Bᵀ). */
        private boolean dot;
        /**
         * C is stored transposed: the call computes Cᵀ = op(B)ᵀ·op(A)ᵀ, and element (i, j) of its m × n result is
         * {@code c[j·m + i]}. Used for narrow Aᵀ·B, whose transpose has its long side along the vectors.
         */
        private boolean transC;
        /**
         * A·Bᵀ computed as Cᵀ = B·Aᵀ (so that B, the larger, is read in place and only A is transposed), each
         * thread's rows of Cᵀ in its buffer {@link Workspace#t} and then copied into C transposed.
         */
        private boolean viaBuffer;
        private int colChunks;
        private int chunkRows;
        private int chunkCols;
        /** GRID, COLUMNS or ROWS (see {@link #GUIDE}); the units claimed are chunks, or tile columns or rows. */
        private int split;
        private int units;
        /** Columns or rows of C per unit of a guided split. */
        private int unitSize;
        /** Least units per claim, and the divisor of the units left, of a guided split. */
        private int minUnits;
        private int divisor;
        /** Added to each column of C after the product, or null. */
        private float[] bias;
        /** Applied to C after the bias. */
        private Gemm.Epilogue epilogue = Gemm.Epilogue.NONE;

        /**
         * Sets the product, plans it for {@code threads} threads and opens it ({@link TeamJob#open}), every unit
         * unclaimed. One thread gets one chunk, the whole of C.
         */
        void set(boolean transA, boolean transB, float[] a, float[] b, float[] bias, Gemm.Epilogue f, float[] c, int m,
                int k, int n, boolean accumulate, int threads) {
            this.bias = bias;
            this.epilogue = f;
            this.transA = transA;
            this.transB = transB;
            this.a = a;
            this.b = b;
            this.c = c;
            this.m = m;
            this.k = k;
            this.n = n;
            this.accumulate = accumulate;
            transC = false;
            viaBuffer = false;
            dot = false;
            kernel = chooseKernel(m, n);
            double cost = cost(kernel, m, n);
            if (!transA && GemmKernels.DOT_SUPPORTED && k >= 2 * L
                    && dotCost(m, n, !transB) < cost) {
                dot = true;
            } else if (transA && !transB && bias == null && f == Gemm.Epilogue.NONE
                    && cost(chooseKernel(n, m), n, m) * SWAP_PENALTY < cost) {
                // Cᵀ = Bᵀ·A: A (k × m) is read in place as B of the transposed product, B as its transposed A
                transC = true;
                this.transA = true;
                this.transB = false;
                this.a = b;
                this.b = a;
                this.m = n;
                this.n = m;
                kernel = chooseKernel(n, m);
            } else if (!transA && transB && k > 0
                    && cost(chooseKernel(n, m), n, m) * ABT_SWAP + TRANSPOSE_COST * m * threads
                    + TRANSPOSE_COST * m * n * (accumulate ? 2.0 : 1.0) / k < cost + TRANSPOSE_COST * n) {
                // Cᵀ = B·Aᵀ: B (n × k) is read in place as A of the transposed product; A, the smaller, is transposed
                viaBuffer = true;
                this.a = b;
                this.b = a;
                this.m = n;
                this.n = m;
                kernel = chooseKernel(n, m);
            }
            mr = dot ? GemmKernels.DOT_ROWS : GemmKernels.MR[kernel];
            nr = dot ? Math.max(1, n) : GemmKernels.NV[kernel] * L;
            m = this.m;
            n = this.n;
            int rowUnits = Math.max(1, ceil(m, mr));
            int colUnits = Math.max(1, ceil(n, nr));
            int rowChunks = 1;
            colChunks = 1;
            if (threads > 1) {
                long flops = 2L * m * n * k;
                int target = (int) Math.max(threads, Math.min(CHUNKS_PER_THREAD * threads, flops / CHUNK_MIN_FLOPS));
                // columns first: a column range packs only its own part of B; a row range packs all of it again
                colChunks = Math.min(colUnits, target);
                if (transA && n > AT_IN_PLACE_MAX_N) {
                    // a packed Aᵀ micro-panel should serve AT_IN_PLACE_MAX_N columns or more
                    colChunks = Math.min(colChunks, Math.max(threads, n / AT_IN_PLACE_MAX_N));
                }
                boolean bPacked = transB || m > B_IN_PLACE_MAX_M;
                if (colChunks < target && !(bPacked && colChunks >= threads)) {
                    rowChunks = Math.min(rowUnits, ceil(target, colChunks));
                }
                if (viaBuffer) {
                    // ranges of rows of Cᵀ: each thread reads its own rows of the large operand (and transposes all
                    // of the small one, once per product)
                    colChunks = 1;
                    rowChunks = Math.min(rowUnits, target);
                }
            }
            chunkRows = ceil(rowUnits, rowChunks) * mr;
            chunkCols = ceil(colUnits, colChunks) * nr;
            rowChunks = Math.max(1, ceil(m, chunkRows));
            colChunks = Math.max(1, ceil(n, chunkCols));
            split = GRID;
            units = rowChunks * colChunks;
            divisor = 1;
            minUnits = 1;
            if (threads > 1 && GUIDE > 0) {
                if (rowChunks == 1 && colUnits >= 2 * threads && colUnits <= 0xFFFF) {
                    split = COLUMNS;
                    units = colUnits;
                    unitSize = nr;
                } else if (colChunks == 1 && rowUnits >= 2 * threads && rowUnits <= 0xFFFF) {
                    split = ROWS;
                    units = rowUnits;
                    unitSize = mr;
                }
                if (split != GRID) {
                    long unitFlops = 2L * k * unitSize * (split == COLUMNS ? m : n);
                    minUnits = (int) Math.max(1, Math.min(units, CHUNK_MIN_FLOPS / Math.max(1, unitFlops)));
                    divisor = GUIDE * threads;
                }
            }
            open(units);
        }

        /** Units a claim takes when {@code left} are unclaimed: wide first, narrow last. */
        @Override
        protected int claimSize(int left) {
            if (split == GRID) {
                return 1;
            }
            return Math.min(left, Math.max(minUnits, ceil(left, divisor)));
        }

        /** Forgets the arrays of the last product. */
        void clear() {
            a = null;
            b = null;
            c = null;
            bias = null;
            epilogue = Gemm.Epilogue.NONE;
        }

        @Override
        protected void runUnits(int from, int to) {
            run(from, to, WORKSPACE.get());
        }

        @Override
        protected void afterWork() {
            WORKSPACE.get().bAllCall = null;   // what bAll holds is valid for this thread's work on one product only
        }

        /** Computes units {@code [from, to)} of the product with the packing buffers of {@code ws}. */
        private void run(int from, int to, Workspace ws) {
            int i0 = 0;
            int i1 = m;
            int j0 = 0;
            int j1 = n;
            if (split == COLUMNS) {
                j0 = from * unitSize;
                j1 = Math.min(n, to * unitSize);
            } else if (split == ROWS) {
                i0 = from * unitSize;
                i1 = Math.min(m, to * unitSize);
            } else {
                i0 = from / colChunks * chunkRows;
                j0 = from % colChunks * chunkCols;
                i1 = Math.min(m, i0 + chunkRows);
                j1 = Math.min(n, j0 + chunkCols);
            }
            if (k == 0) {
                for (int i = i0; i < i1 && !accumulate; i++) {
                    Arrays.fill(c, i * n + j0, i * n + j1, 0f);
                }
                finishTile(i0, i1, j0, j1, n);
                return;
            }
            if (dot) {
                dotBlock(ws, i0, i1);
                finishTile(i0, i1, 0, n, n);
            } else if (viaBuffer) {
                // rows [i0, i1) of Cᵀ, all its columns, in ws.t; C[j, i] = Cᵀ[i, j] is at c[j·m + i]
                int size = (i1 - i0) * n;
                if (ws.t.length < size) {
                    ws.t = new float[size];
                }
                if (ws.bAllCall != this) {
                    prepackTransposedB(ws);
                    ws.bAllCall = this;
                }
                ws.out = ws.t;
                ws.outRow = i0;
                ws.ldo = n;
                if (accumulate) {
                    transposeOut(ws, i0, i1, j0, j1, false);
                }
                try {
                    block(ws, i0, i1, j0, j1);
                } finally {
                    ws.out = null;
                }
                transposeOut(ws, i0, i1, j0, j1, true);
                finishTile(j0, j1, i0, i1, m);   // rows [j0, j1) and columns [i0, i1) of C, whose rows are m long
            } else {
                ws.out = c;
                ws.outRow = 0;
                ws.ldo = n;
                try {
                    block(ws, i0, i1, j0, j1);
                } finally {
                    ws.out = null;
                }
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
         * C[i0:i1, :] (+)= A[i0:i1, :]·op(B) with the dot-product kernel: rows of A and rows of Bᵀ are both
         * contiguous along k (Bᵀ is B itself for {@code abt}, else a transposed copy, n·k floats). All of k in
         * one pass; the rows of Bᵀ stay in L1.
         */
        private void dotBlock(Workspace ws, int i0, int i1) {
            float[] bt = b;
            if (!transB) {
                if (ws.bt.length < n * k) {
                    ws.bt = new float[n * k];
                }
                bt = ws.bt;
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

        /**
         * Copies rows [i0, i1), columns [j0, j1) of Cᵀ between {@code ws.t} (row i at (i − i0)·n) and C (Cᵀ[i, j]
         * at {@code c[j·m + i]}), to C when {@code toC}, else from it: L × L blocks transposed in registers, the
         * edges one float at a time.
         */
        private void transposeOut(Workspace ws, int i0, int i1, int j0, int j1, boolean toC) {
            float[] t = ws.t;
            int[] rows = ws.rows;
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

        /** Packs all of op(B) = Bᵀ into {@code ws.bAll}, k blocks and column blocks as {@link #block} takes them. */
        private void prepackTransposedB(Workspace ws) {
            int padded = ceil(n, nr) * nr;
            if (ws.bAll.length < k * padded) {
                ws.bAll = new float[k * padded];
            }
            int blocks = ceil(k, KC);
            int ncMax = Math.max(nr, NC / nr * nr);
            for (int blk = 0, pc = 0; blk < blocks; blk++) {
                int kc = k / blocks + (blk < k % blocks ? 1 : 0);
                for (int jc = 0; jc < n; jc += ncMax) {
                    packTransposedB(ws, ws.bAll, pc * padded + jc * kc, jc, Math.min(ncMax, n - jc), pc, kc);
                }
                pc += kc;
            }
        }

        /** C[i0:i1, j0:j1] (+)= op(A)[i0:i1, :]·op(B)[:, j0:j1]. */
        private void block(Workspace ws, int i0, int i1, int j0, int j1) {
            int blocks = ceil(k, KC);
            int ncMax = Math.max(nr, NC / nr * nr);
            boolean bInPlace = !transB && m <= B_IN_PLACE_MAX_M;
            boolean aInPlace = !transA || j1 - j0 <= AT_IN_PLACE_MAX_N;
            // k blocks outside column blocks (each element still takes its k blocks in order), so that a packed Aᵀ
            // is packed once per k block, not once per column block
            for (int blk = 0, pc = 0; blk < blocks; blk++) {
                int kc = k / blocks + (blk < k % blocks ? 1 : 0);
                boolean load = accumulate || blk > 0;
                int panelStride = mr * kc + L;
                if (!aInPlace) {
                    packTransposedABlock(ws, i0, i1 - i0, pc, kc);
                }
                for (int jc = j0; jc < j1; jc += ncMax) {
                    int nc = Math.min(ncMax, j1 - jc);
                    int fullEnd = jc + nc / nr * nr;   // columns [fullEnd, jc + nc) form a partial panel
                    ws.bPanels = ws.bPack;
                    ws.bBase = 0;
                    if (viaBuffer) {
                        // packed once per product and thread, by prepackTransposedB
                        ws.bPanels = ws.bAll;
                        ws.bBase = pc * ceil(n, nr) * nr + jc * kc;
                    } else if (transB) {
                        packTransposedB(ws, ws.bPack, 0, jc, nc, pc, kc);
                    } else if (!bInPlace) {
                        packB(ws.bPack, 0, jc, nc, pc, kc);
                    } else if (fullEnd < jc + nc) {
                        packB(ws.bPack, 0, fullEnd, jc + nc - fullEnd, pc, kc);
                    }
                    for (int i = i0; i < i1; i += mr) {
                        int rows = Math.min(mr, i1 - i);
                        if (!aInPlace) {
                            panelRow(ws, i, rows, jc, nc, pc, kc, load, bInPlace,
                                    ws.aBlock, (i - i0) / mr * panelStride, 1, mr);
                        } else if (rows == mr && !transA) {
                            panelRow(ws, i, rows, jc, nc, pc, kc, load, bInPlace, a, i * k + pc, k, 1);
                        } else if (rows == mr) {
                            panelRow(ws, i, rows, jc, nc, pc, kc, load, bInPlace, a, pc * m + i, 1, m);
                        } else if (transA) {
                            packTransposedA(ws.aPack, i, rows, pc, kc);
                            panelRow(ws, i, rows, jc, nc, pc, kc, load, bInPlace, ws.aPack, 0, 1, mr);
                        } else {
                            packA(ws.aPack, i, rows, pc, kc);
                            panelRow(ws, i, rows, jc, nc, pc, kc, load, bInPlace, ws.aPack, 0, kc, 1);
                        }
                    }
                }
                pc += kc;
            }
        }

        /**
         * One micro-panel of A (rows [i, i + rows), its value (r, p) at {@code ap[ao + r·ars + p·aks]}) against
         * the B block of columns [jc, jc + nc), k range [pc, pc + kc): one kernel call per tile.
         */
        private void panelRow(Workspace ws, int i, int rows, int jc, int nc, int pc, int kc, boolean load,
                              boolean bInPlace, float[] ap, int ao, int ars, int aks) {
            for (int j = jc; j < jc + nc; j += nr) {
                int cols = Math.min(nr, jc + nc - j);
                float[] bp = ws.bPanels;
                int bo = bInPlace ? 0 : ws.bBase + (j - jc) * kc;   // the partial panel of B in place is packed at 0
                int bs = nr;
                if (bInPlace && cols == nr) {
                    bp = b;
                    bo = pc * n + j;
                    bs = n;
                }
                if (rows == mr && cols == nr && !transC) {
                    GemmKernels.run(kernel, kc, ap, ao, ars, aks, bp, bo, bs, ws.out, (i - ws.outRow) * ws.ldo + j,
                            ws.ldo, load);
                } else {
                    edgeTile(ws, i, rows, j, cols, load, kc, ap, ao, ars, aks, bp, bo, bs);
                }
            }
        }

        /**
         * A tile of rows × cols &lt; MR × NR, or any tile of a transposed C: computed in {@code tile} (row
         * stride NR), then copied to C.
         */
        private void edgeTile(Workspace ws, int i, int rows, int j, int cols, boolean load, int kc,
                              float[] ap, int ao, int ars, int aks, float[] bp, int bo, int bs) {
            float[] tile = ws.cTile;
            float[] out = ws.out;
            if (load && transC) {
                for (int q = 0; q < cols; q++) {
                    for (int r = 0, from = (j + q) * m + i; r < rows; r++) {
                        tile[r * nr + q] = c[from + r];
                    }
                }
            } else if (load) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(out, (i + r - ws.outRow) * ws.ldo + j, tile, r * nr, cols);
                }
            }
            GemmKernels.run(kernel, kc, ap, ao, ars, aks, bp, bo, bs, tile, 0, nr, load);
            if (transC) {
                for (int q = 0; q < cols; q++) {
                    for (int r = 0, to = (j + q) * m + i; r < rows; r++) {
                        c[to + r] = tile[r * nr + q];
                    }
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(tile, r * nr, out, (i + r - ws.outRow) * ws.ldo + j, cols);
                }
            }
        }

        /**
         * Copies rows [i, i + rows) of A (row-major), columns [pc, pc + kc), into {@code dst} as MR rows of
         * kc floats; rows past {@code rows} are zero.
         */
        private void packA(float[] dst, int i, int rows, int pc, int kc) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(a, (i + r) * k + pc, dst, r * kc, kc);
            }
            Arrays.fill(dst, rows * kc, mr * kc, 0f);
        }

        /**
         * Copies rows [i, i + rows) of op(A) = Aᵀ (A stored k × m), k range [pc, pc + kc), into {@code dst}
         * k-major: the MR values of step p at {@code dst[p·MR]}, zero past {@code rows}.
         */
        private void packTransposedA(float[] dst, int i, int rows, int pc, int kc) {
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
         * Packs rows [i0, i0 + rows) of op(A) = Aᵀ (A stored k × m), k range [pc, pc + kc), into
         * {@code ws.aBlock} as consecutive micro-panels laid out as in {@link #packTransposedA}, each followed by
         * L floats of room. Reads each row of A once, contiguously: MR floats from each of kc rows per micro-panel
         * would touch kc pages per micro-panel.
         */
        private void packTransposedABlock(Workspace ws, int i0, int rows, int pc, int kc) {
            int stride = mr * kc + L;
            int size = ceil(rows, mr) * stride;
            if (ws.aBlock.length < size) {
                ws.aBlock = new float[size];
            }
            float[] dst = ws.aBlock;
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
         * Copies columns [j, j + cols) of B (k × n), k range [pc, pc + kc), into NR-wide panels at
         * {@code dst[d]}: panel q holds columns j + q·NR …, step p at {@code p·NR}; zero past {@code cols}.
         */
        private void packB(float[] dst, int d, int j, int cols, int pc, int kc) {
            for (int q = 0; q < cols; q += nr) {
                int w = Math.min(nr, cols - q);
                int panel = d + q * kc;
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * n + j + q;
                    int to = panel + p * nr;
                    if (w == nr) {
                        for (int v = 0; v < nr; v += L) {
                            GemmKernels.copy(b, src + v, dst, to + v);
                        }
                    } else {
                        System.arraycopy(b, src, dst, to, w);
                        Arrays.fill(dst, to + w, to + nr, 0f);
                    }
                }
            }
        }

        /**
         * Transposes columns [jc, jc + nc) of op(B) = Bᵀ (B stored n × k), k range [pc, pc + kc), into NR-wide
         * panels at {@code dst[d]} (layout as {@link #packB}). Columns past n repeat the last column; they
         * only reach tile entries that are never copied to C.
         */
        private void packTransposedB(Workspace ws, float[] dst, int d, int jc, int nc, int pc, int kc) {
            int[] rows = ws.rows;
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
    }
}
