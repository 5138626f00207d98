package dev.nabla.kernel;

/**
 * How {@link VectorGemm} computes one product: the kernel and its tile, whether it computes C or Cᵀ, what it packs,
 * how k and the columns are blocked, and how C is cut into the units that threads claim. {@link #of} is a pure
 * function of the request (product, sizes, accumulate or not, a fused epilogue or not, threads) and of this
 * machine's vector width; the plan is immutable, so a test can read the plan of a shape ({@code GemmPlanTest}) and a
 * thread can keep the plans of the shapes it multiplies ({@link Cache}). {@link GemmJob} carries a plan out.
 *
 * <p>Sizes. {@code m, k, n} are those asked for: C is m × n. When the route {@link Route#transposesC() transposes
 * C}, the job computes Cᵀ = op(B)ᵀ·op(A)ᵀ instead, with A and B swapped; {@link #rows()} × {@link #cols()} is then
 * n × m, and the tiles, chunks and units of the plan are those of that product.
 *
 * <p>Blocking ({@link #KC}, {@link #NC}): k is cut into {@link #kBlocks} balanced blocks of at most 512 (784 → 2 ×
 * 392, 1025 → 2 × 342 + 341), so that no block is too short to amortise loading and storing the C tile, and the
 * columns into blocks of {@link #blockCols} ≤ 512, so that a packed B block (512 × 512 floats = 1 MiB) stays in the
 * 2 MiB L2 beside the A micro-panel and the C tiles. Measured on one thread (AMD Zen 5, 48 KiB L1) against
 * KC = 256: 1024³ 183 → 191 GFLOP/s, 2048³ 176 → 200, 128×784·(512×784)ᵀ 188 → 212, shapes with k ≤ 512 within ±3 %.
 *
 * <p>Kernel: the tile of {@link GemmKernels} with the least padded work over its measured efficiency
 * ({@link #chooseKernel}). Packing: B as stored is read in place when {@link #rows} ≤ 256, since packing it costs
 * O(k·n) and is only repaid over many rows; Bᵀ must be transposed into panels; A row-major is read in place (its MR
 * rows stay in L1 while the kernel sweeps a B block); A stored transposed is packed a whole k block at a time when
 * a claim of C is wider than 256 columns, where each packed panel serves many tiles ({@link #packsTransposedA}).
 *
 * @param op         the product asked for
 * @param m          rows of C
 * @param k          the inner dimension
 * @param n          columns of C
 * @param accumulate C += op(A)·op(B) rather than C = op(A)·op(B)
 * @param fused      a bias or an activation is applied to each tile of C (rules out {@link Route#TRANSPOSED}, whose
 *                   tiles are written into C transposed)
 * @param threads    threads the product is split for: 1 below {@link #PARALLEL_MIN_FLOPS}
 * @param route      how C is computed
 * @param kernel     the tile kernel, an id of {@link GemmKernels#run}; {@link #NO_KERNEL} for {@link Route#DOT}
 * @param mr         rows of a tile (of the dot-product kernel for {@link Route#DOT})
 * @param nr         columns of a tile (all of them for {@link Route#DOT})
 * @param kBlocks    k blocks, balanced, each at most {@link #KC} (0 when k = 0)
 * @param blockCols  columns of a B block, a multiple of nr, at most {@link #NC} unless nr is larger
 * @param bPacking   how op(B) reaches the kernel
 * @param split      how C is cut into units
 * @param units      units of one call (chunks, or tile columns or rows)
 * @param unitSize   columns or rows of a unit of {@link Split#COLUMNS} or {@link Split#ROWS}; 0 for a grid
 * @param minClaim   least units per claim of a guided split
 * @param divisor    a guided claim takes 1/divisor of the units left (1 for a grid)
 * @param colChunks  chunks across the columns of a grid (unit u is chunk row u / colChunks, column u % colChunks)
 * @param chunkRows  rows of a grid chunk, whole tiles
 * @param chunkCols  columns of a grid chunk, whole tiles
 */
record GemmPlan(Op op, int m, int k, int n, boolean accumulate, boolean fused, int threads,
                Route route, int kernel, int mr, int nr, int kBlocks, int blockCols, BPacking bPacking,
                Split split, int units, int unitSize, int minClaim, int divisor, int colChunks, int chunkRows,
                int chunkCols) {
    /** Largest k block (see the class comment). */
    static final int KC = 512;
    /** Column block: a packed B block is at most KC × NC floats. */
    static final int NC = 512;
    /** B (as stored, k × n) is read in place rather than packed when the product has at most this many rows. */
    static final int B_IN_PLACE_MAX_M = 256;
    /** A stored transposed (k × m) is read in place rather than packed when a claim has at most this many columns. */
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
    /** Least work of a chunk, or of a guided claim. */
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
    /**
     * Efficiency of the dot-product kernel relative to the tile kernels (lane sums included, k ≥ 128), for the
     * choice between them: narrow products (n up to about 10 with 512-bit vectors, 4 with 256-bit ones) take the
     * dot-product kernel, because a tile kernel with one vector per row broadcasts one A value per multiply-add and
     * runs at two thirds of its speed.
     */
    static final double DOT_EFFICIENCY = 0.6;
    /** Cost factor of a transposed C (every tile copied in and out transposed), for {@link Route#TRANSPOSED}. */
    static final double SWAP_PENALTY = 1.3;
    /** Cost factor of A·Bᵀ computed as Cᵀ = B·Aᵀ through a buffer ({@link Route#TRANSPOSED_BUFFERED}). */
    static final double ABT_SWAP = 1.05;
    /**
     * Cost of transposing one float (a packing of Bᵀ, or a copy of C through the buffer of
     * {@link Route#TRANSPOSED_BUFFERED}) in the units of {@link #cost} per step of k: about 0.4 cycle, the time of
     * 13 multiply-add lanes.
     */
    static final double TRANSPOSE_COST = 13;
    /** The {@link #kernel} of a plan on the dot-product kernel. */
    static final int NO_KERNEL = -1;

    /** The three products of {@link Gemm}. */
    enum Op {
        /** C = A·B, A stored m × k, B k × n. */
        AB(false, false),
        /** C = Aᵀ·B, A stored k × m, B k × n. */
        ATB(true, false),
        /** C = A·Bᵀ, A stored m × k, B n × k. */
        ABT(false, true);

        private final boolean transA;
        private final boolean transB;

        Op(boolean transA, boolean transB) {
            this.transA = transA;
            this.transB = transB;
        }

        /** A is stored transposed (k × m). */
        boolean transA() {
            return transA;
        }

        /** B is stored transposed (n × k). */
        boolean transB() {
            return transB;
        }

        /** The product with these transpositions; Aᵀ·Bᵀ is not one of them. */
        static Op of(boolean transA, boolean transB) {
            if (transA && transB) {
                throw new IllegalArgumentException("GEMM: Aᵀ·Bᵀ is not supported");
            }
            return transA ? ATB : transB ? ABT : AB;
        }
    }

    /** How C is computed. */
    enum Route {
        /** C = op(A)·op(B) with the tile kernels. */
        TILES,
        /**
         * Narrow A·B and A·Bᵀ (n up to about 10 with 512-bit vectors, 4 with 256-bit ones): the dot-product kernel
         * ({@code dot3x5} or {@code dot2x4}), vectors along k over rows of A and of Bᵀ, lanes summed in a fixed tree.
         * A tile kernel one vector wide broadcasts one A value per multiply-add, which holds it to two thirds of its
         * speed, and wastes the lanes past n.
         */
        DOT,
        /**
         * Aᵀ·B whose transpose pads to the tiles much better than C does (by {@link #SWAP_PENALTY}), as a narrow C
         * does: Cᵀ = Bᵀ·A with the tile kernels, a product whose long side runs along the vectors, both operands read
         * in place; each tile goes into C transposed.
         */
        TRANSPOSED,
        /**
         * A·Bᵀ with m small against n (x·Wᵀ at batch 32): Cᵀ = B·Aᵀ, so that B (n × k) is read in place as the A of
         * that product and only A (m·k floats) is transposed, by each thread once per product, instead of all n·k
         * floats of B (at batch 32, transposing W took as long as the multiply). Each claim of rows of Cᵀ is computed
         * into the thread's buffer and copied into C by register transposes. a·b = b·a exactly in a fused
         * multiply-add, so the results are the same. Measured on one thread: 32×784·(512×784)ᵀ 138 → 181 GFLOP/s,
         * 32×512·(256×512)ᵀ 137 → 186. The cost model weighs the transpose of B saved against the copies of Cᵀ and
         * the swapped tiles; as m grows the saving shrinks relative to the work, and at m = 256 (k = 784, n = 512) it
         * keeps {@link #TILES}.
         */
        TRANSPOSED_BUFFERED;

        /** The job computes Cᵀ = op(B)ᵀ·op(A)ᵀ, with A and B swapped. */
        boolean transposesC() {
            return this == TRANSPOSED || this == TRANSPOSED_BUFFERED;
        }
    }

    /** How op(B) reaches the kernel. */
    enum BPacking {
        /**
         * Read where it is: B's own rows by the tile kernels (a partial panel at the right edge is copied, zero
         * padded), or B stored n × k, which is Bᵀ's rows, by the dot-product kernel.
         */
        IN_PLACE,
        /** B (k × n) copied into NR-wide panels, per k block and column block. */
        PANELS,
        /** Bᵀ (stored n × k) transposed into NR-wide panels, per k block and column block. */
        TRANSPOSED_PANELS,
        /**
         * Bᵀ transposed into panels all at once, every k block and column block, by each thread once per product
         * ({@link Route#TRANSPOSED_BUFFERED}, whose op(B) is the small operand).
         */
        TRANSPOSED_PANELS_ONCE,
        /** B (k × n) transposed whole into n rows of k floats, for the dot-product kernel. */
        TRANSPOSED_ROWS
    }

    /** How C is cut into the units that threads claim ({@link TeamJob}). */
    enum Split {
        /** Chunks of whole tiles in a grid, rows × columns, one per claim. */
        GRID,
        /** Tile columns, claimed guided: wide first, narrow last (see {@link #GUIDE}). */
        COLUMNS,
        /** Tile rows, claimed guided. */
        ROWS
    }

    /**
     * The kernels a plan chooses from: {@link #NATIVE}, this machine's ({@link GemmKernels}), or those of another
     * vector width, so that a test can check the plans of a 512-bit machine on a 256-bit one. Only native plans run.
     *
     * @param lanes   floats per vector (L)
     * @param tiles   the tile kernels offered, ids of {@link GemmKernels#run}; not modified
     * @param dotRows rows of A per call of the dot-product kernel
     * @param dotCols rows of Bᵀ per call of the dot-product kernel
     * @param dot     whether the dot-product kernel exists for this width (its lane sums take 8 or 16 lanes)
     */
    record Kernels(int lanes, int[] tiles, int dotRows, int dotCols, boolean dot) {
        /** This machine's. */
        static final Kernels NATIVE = new Kernels(GemmKernels.L, GemmKernels.IDS, GemmKernels.DOT_ROWS,
                GemmKernels.DOT_COLS, GemmKernels.DOT_SUPPORTED);

        /** Rows of tile kernel {@code id}. */
        int mr(int id) {
            return GemmKernels.MR[id];
        }

        /** Columns of tile kernel {@code id}: its vectors per row times the lanes. */
        int nr(int id) {
            return GemmKernels.NV[id] * lanes;
        }
    }

    /**
     * Plans {@code C[m×n] (+)= op(A)·op(B)} on up to {@code threads} threads, on this machine's kernels;
     * {@code fused}: a bias or an activation follows ({@link Gemm#linear}).
     */
    static GemmPlan of(Op op, int m, int k, int n, boolean accumulate, boolean fused, int threads) {
        return of(Kernels.NATIVE, op, m, k, n, accumulate, fused, threads);
    }

    /** The same on {@code kernels}; only a plan on {@link Kernels#NATIVE} may be run. */
    static GemmPlan of(Kernels kernels, Op op, int m, int k, int n, boolean accumulate, boolean fused, int threads) {
        threads = threadsFor(threads, m, k, n);
        int lanes = kernels.lanes();
        boolean transA = op.transA();
        boolean transB = op.transB();
        Route route = Route.TILES;
        int kernel = chooseKernel(kernels, m, n);
        double cost = cost(kernels, kernel, m, n);
        double swappedCost = cost(kernels, chooseKernel(kernels, n, m), n, m);
        if (!transA && kernels.dot() && k >= 2 * lanes && dotCost(kernels, m, n, !transB) < cost) {
            route = Route.DOT;
        } else if (transA && !transB && !fused && swappedCost * SWAP_PENALTY < cost) {
            route = Route.TRANSPOSED;
        } else if (!transA && transB && k > 0
                && swappedCost * ABT_SWAP + TRANSPOSE_COST * m * threads
                + TRANSPOSE_COST * m * n * (accumulate ? 2.0 : 1.0) / k < cost + TRANSPOSE_COST * n) {
            route = Route.TRANSPOSED_BUFFERED;
        }
        // from here on, the sizes of the product computed: C's, or Cᵀ's
        int rows = route.transposesC() ? n : m;
        int cols = route.transposesC() ? m : n;
        if (route.transposesC()) {
            kernel = chooseKernel(kernels, rows, cols);
        }
        int mr = route == Route.DOT ? kernels.dotRows() : kernels.mr(kernel);
        int nr = route == Route.DOT ? Math.max(1, cols) : kernels.nr(kernel);
        if (route == Route.DOT) {
            kernel = NO_KERNEL;
        }

        BPacking bPacking;
        if (route == Route.DOT) {
            bPacking = transB ? BPacking.IN_PLACE : BPacking.TRANSPOSED_ROWS;
        } else if (route == Route.TRANSPOSED_BUFFERED) {
            bPacking = BPacking.TRANSPOSED_PANELS_ONCE;
        } else if (transB) {
            bPacking = BPacking.TRANSPOSED_PANELS;
        } else if (rows > B_IN_PLACE_MAX_M) {
            bPacking = BPacking.PANELS;
        } else {
            bPacking = BPacking.IN_PLACE;
        }

        // chunks: a grid of row ranges × column ranges, in whole tiles
        int rowUnits = Math.max(1, ceil(rows, mr));
        int colUnits = Math.max(1, ceil(cols, nr));
        int rowChunks = 1;
        int colChunks = 1;
        if (threads > 1) {
            long flops = 2L * rows * cols * k;
            int target = (int) Math.max(threads, Math.min(CHUNKS_PER_THREAD * threads, flops / CHUNK_MIN_FLOPS));
            // columns first: a column range packs only its own part of B; a row range packs all of it again
            colChunks = Math.min(colUnits, target);
            if (transA && cols > AT_IN_PLACE_MAX_N) {
                // a packed Aᵀ micro-panel should serve AT_IN_PLACE_MAX_N columns or more
                colChunks = Math.min(colChunks, Math.max(threads, cols / AT_IN_PLACE_MAX_N));
            }
            boolean bPacked = transB || rows > B_IN_PLACE_MAX_M;
            if (colChunks < target && !(bPacked && colChunks >= threads)) {
                rowChunks = Math.min(rowUnits, ceil(target, colChunks));
            }
            if (route == Route.TRANSPOSED_BUFFERED) {
                // ranges of rows of Cᵀ: each thread reads its own rows of the large operand (and transposes all
                // of the small one, once per product)
                colChunks = 1;
                rowChunks = Math.min(rowUnits, target);
            }
        }
        int chunkRows = ceil(rowUnits, rowChunks) * mr;
        int chunkCols = ceil(colUnits, colChunks) * nr;
        rowChunks = Math.max(1, ceil(rows, chunkRows));
        colChunks = Math.max(1, ceil(cols, chunkCols));

        // on several threads, a single row or column of chunks becomes guided claims of tile columns or rows
        Split split = Split.GRID;
        int units = rowChunks * colChunks;
        int unitSize = 0;
        int minClaim = 1;
        int divisor = 1;
        if (threads > 1 && GUIDE > 0) {
            if (rowChunks == 1 && colUnits >= 2 * threads && colUnits <= TeamJob.MAX_UNITS) {
                split = Split.COLUMNS;
                units = colUnits;
                unitSize = nr;
            } else if (colChunks == 1 && rowUnits >= 2 * threads && rowUnits <= TeamJob.MAX_UNITS) {
                split = Split.ROWS;
                units = rowUnits;
                unitSize = mr;
            }
            if (split != Split.GRID) {
                long unitFlops = 2L * k * unitSize * (split == Split.COLUMNS ? rows : cols);
                minClaim = (int) Math.max(1, Math.min(units, CHUNK_MIN_FLOPS / Math.max(1, unitFlops)));
                divisor = GUIDE * threads;
            }
        }
        int kBlocks = ceil(k, KC);
        int blockCols = Math.max(nr, NC / nr * nr);
        return new GemmPlan(op, m, k, n, accumulate, fused, threads, route, kernel, mr, nr, kBlocks, blockCols,
                bPacking, split, units, unitSize, minClaim, divisor, colChunks, chunkRows, chunkCols);
    }

    /** The threads a product of m × k × n is split for: {@code threads}, or 1 when the product is too small. */
    static int threadsFor(int threads, int m, int k, int n) {
        return threads > 1 && 2L * m * n * k >= PARALLEL_MIN_FLOPS ? threads : 1;
    }

    /** Rows of the product computed: m, or n when the route computes Cᵀ. */
    int rows() {
        return route.transposesC() ? n : m;
    }

    /** Columns of the product computed: n, or m when the route computes Cᵀ. */
    int cols() {
        return route.transposesC() ? m : n;
    }

    /** Length of k block {@code block}: the blocks are balanced, the first {@code k % kBlocks} one longer. */
    int kc(int block) {
        return k / kBlocks + (block < k % kBlocks ? 1 : 0);
    }

    /**
     * Whether a claim of {@code claimCols} columns of the product computed packs Aᵀ a whole k block at a time (then
     * each packed micro-panel is reused across many columns, and a strided walk through A would cost more than the
     * copy); otherwise A is read where it is.
     */
    boolean packsTransposedA(int claimCols) {
        return op.transA() && claimCols > AT_IN_PLACE_MAX_N;
    }

    /** First row (of the product computed) of units {@code [from, to)}, one claim. */
    int rowStart(int from) {
        return split == Split.ROWS ? from * unitSize : split == Split.COLUMNS ? 0 : from / colChunks * chunkRows;
    }

    /** End of the rows of units {@code [from, to)}, one claim (of a grid: one unit). */
    int rowEnd(int from, int to) {
        return split == Split.ROWS ? Math.min(rows(), to * unitSize)
                : split == Split.COLUMNS ? rows() : Math.min(rows(), rowStart(from) + chunkRows);
    }

    /** First column (of the product computed) of units {@code [from, to)}, one claim. */
    int colStart(int from) {
        return split == Split.COLUMNS ? from * unitSize : split == Split.ROWS ? 0 : from % colChunks * chunkCols;
    }

    /** End of the columns of units {@code [from, to)}, one claim (of a grid: one unit). */
    int colEnd(int from, int to) {
        return split == Split.COLUMNS ? Math.min(cols(), to * unitSize)
                : split == Split.ROWS ? cols() : Math.min(cols(), colStart(from) + chunkCols);
    }

    /** Units a claim takes when {@code left} are unclaimed: one chunk of a grid; guided: wide first, narrow last. */
    int claimSize(int left) {
        if (split == Split.GRID) {
            return 1;
        }
        return Math.min(left, Math.max(minClaim, ceil(left, divisor)));
    }

    /** Whether this is the plan {@link #of} gives for this request, {@code threads} already {@link #threadsFor}. */
    boolean matches(Op op, int m, int k, int n, boolean accumulate, boolean fused, int threads) {
        return this.m == m && this.n == n && this.k == k && this.op == op && this.accumulate == accumulate
                && this.fused == fused && this.threads == threads;
    }

    /** The tile kernel (an id of {@link GemmKernels#run}) with the least padded work per unit of its efficiency. */
    static int chooseKernel(Kernels kernels, int m, int n) {
        int best = -1;
        double bestCost = Double.MAX_VALUE;
        for (int id : kernels.tiles()) {
            double cost = cost(kernels, id, m, n);
            if (cost < bestCost) {
                best = id;
                bestCost = cost;
            }
        }
        return best;
    }

    /** Relative cost of a product on kernel {@code id}: its padded tile area over its efficiency. */
    static double cost(Kernels kernels, int id, int m, int n) {
        int mr = kernels.mr(id);
        int nr = kernels.nr(id);
        return (double) ceil(m, mr) * mr * ceil(n, nr) * nr / GemmKernels.EFFICIENCY[id];
    }

    /**
     * The same for the dot-product kernel; {@code packB}: B must be transposed first, one float at a time, which
     * costs about as much as 2·L multiply-add lanes per float.
     */
    static double dotCost(Kernels kernels, int m, int n, boolean packB) {
        int rows = kernels.dotRows();
        int cols = kernels.dotCols();
        return (double) ceil(m, rows) * rows * ceil(n, cols) * cols / DOT_EFFICIENCY
                + (packB ? 2.0 * kernels.lanes() * n : 0);
    }

    static int ceil(int x, int y) {
        return (x + y - 1) / y;
    }

    /**
     * The plans one thread has used, so that a shape is planned once rather than on every call, and a call
     * allocates nothing. A training step multiplies a few shapes in the same order every step, so the search
     * starts at the last plan found. Holds {@link #CAPACITY} plans, then replaces the oldest.
     *
     * <p><b>Note:</b> not thread-safe; each thread has its own ({@link GemmWorkspace}). A thread that cycles
     * through more than {@link #CAPACITY} requests plans (and allocates) on every call.
     */
    static final class Cache {
        /** Plans kept: a training step makes about three requests (forward, two gradients) per layer shape. */
        static final int CAPACITY = 64;

        private final GemmPlan[] plans = new GemmPlan[CAPACITY];
        private int size;
        /** Where the last plan was found or put. */
        private int last;
        /** The slot the next miss replaces, once full. */
        private int oldest;

        /** The plan {@link GemmPlan#of} gives for this request: a kept one, else a new one, kept. */
        GemmPlan get(Op op, int m, int k, int n, boolean accumulate, boolean fused, int threads) {
            int t = threadsFor(threads, m, k, n);
            for (int probe = 0, i = last; probe < size; probe++, i = i + 1 == size ? 0 : i + 1) {
                GemmPlan p = plans[i];
                if (p.matches(op, m, k, n, accumulate, fused, t)) {
                    last = i;
                    return p;
                }
            }
            GemmPlan p = of(op, m, k, n, accumulate, fused, t);
            if (size < CAPACITY) {
                last = size++;
            } else {
                last = oldest;
                oldest = (oldest + 1) % CAPACITY;
            }
            plans[last] = p;
            return p;
        }
    }
}
