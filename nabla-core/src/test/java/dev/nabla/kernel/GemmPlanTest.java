package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.kernel.GemmPlan.BPacking;
import dev.nabla.kernel.GemmPlan.Kernels;
import dev.nabla.kernel.GemmPlan.Op;
import dev.nabla.kernel.GemmPlan.Route;
import dev.nabla.kernel.GemmPlan.Split;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link GemmPlan}'s rules, shape by shape, on the kernels of a 512-bit machine (AVX-512: tiles 14 × 32, 12 × 32,
 * 8 × 48, 16 × 16 and the 3 × 5 dot-product kernel) and of a 256-bit one (AVX2: 6 × 16, 8 × 8, 2 × 4), whatever
 * this machine has. A changed threshold or cost factor fails here, naming the shape whose plan moved; that the plans
 * compute the right products is {@link GemmTest}'s part.
 */
class GemmPlanTest {
    /** The kernel sets of {@code tools/gemm-kernels.py}: ids of {@link GemmKernels#run}. */
    static final Kernels AVX512 = new Kernels(16, new int[] {0, 1, 2, 3}, 3, 5, true);
    static final Kernels AVX2 = new Kernels(8, new int[] {4, 5}, 2, 4, true);
    static final Kernels[] BOTH = {AVX512, AVX2};

    private static GemmPlan plan(Kernels kernels, Op op, int m, int k, int n, int threads) {
        return GemmPlan.of(kernels, op, m, k, n, false, false, threads);
    }

    @Test
    void theNativeKernelsAreTheSetForThisVectorWidth() {
        assumeTrue(Simd.VECTORIZED, "no Vector API");
        Kernels nativeSet = Kernels.NATIVE;
        Kernels expected = nativeSet.lanes() >= 16 ? AVX512 : AVX2;
        assertArrayEquals(expected.tiles(), nativeSet.tiles(), "tile kernels for " + nativeSet.lanes() + " lanes");
        assertEquals(expected.dotRows(), nativeSet.dotRows());
        assertEquals(expected.dotCols(), nativeSet.dotCols());
        assertEquals(nativeSet.lanes() == 16 || nativeSet.lanes() == 8, nativeSet.dot());
    }

    // ---- routes

    @Test
    void xTimesWTransposedAtBatch32ComputesCTransposedThroughTheBuffer() {
        for (Kernels kernels : BOTH) {
            for (int threads = 1; threads <= 2; threads++) {
                for (int[] s : new int[][] {{32, 784, 512}, {32, 512, 256}}) {
                    GemmPlan p = plan(kernels, Op.ABT, s[0], s[1], s[2], threads);
                    assertEquals(Route.TRANSPOSED_BUFFERED, p.route(), p::toString);
                    assertEquals(BPacking.TRANSPOSED_PANELS_ONCE, p.bPacking(), p::toString);
                    assertEquals(s[2], p.rows(), p::toString);
                    assertEquals(s[0], p.cols(), p::toString);
                }
            }
        }
    }

    @Test
    void xTimesWTransposedAtBatch256TransposesW() {
        for (Kernels kernels : BOTH) {
            GemmPlan p = plan(kernels, Op.ABT, 256, 784, 512, 1);
            assertEquals(Route.TILES, p.route(), p::toString);
            assertEquals(BPacking.TRANSPOSED_PANELS, p.bPacking(), p::toString);
            assertEquals(256, p.rows(), p::toString);
        }
    }

    @Test
    void narrowProductsTakeTheDotKernelOn512Bits() {
        for (int n = 1; n <= 10; n++) {
            GemmPlan ab = plan(AVX512, Op.AB, 128, 256, n, 1);
            assertEquals(Route.DOT, ab.route(), ab::toString);
            assertEquals(BPacking.TRANSPOSED_ROWS, ab.bPacking(), ab::toString);
            assertEquals(3, ab.mr(), ab::toString);
            assertEquals(n, ab.nr(), ab::toString);
            assertEquals(GemmPlan.NO_KERNEL, ab.kernel(), ab::toString);
            GemmPlan abt = plan(AVX512, Op.ABT, 128, 256, n, 1);
            assertEquals(Route.DOT, abt.route(), abt::toString);
            assertEquals(BPacking.IN_PLACE, abt.bPacking(), abt::toString);   // B stored n × k is Bᵀ's rows
        }
        // 11 columns pad to 15 in blocks of 5: the 16 × 16 tile is cheaper
        assertEquals(Route.TILES, plan(AVX512, Op.AB, 128, 256, 11, 1).route());
        assertEquals(Route.TILES, plan(AVX512, Op.ABT, 128, 256, 16, 1).route());
    }

    @Test
    void narrowProductsTakeTheDotKernelOn256BitsUpToFourColumns() {
        for (int n = 1; n <= 4; n++) {
            GemmPlan p = plan(AVX2, Op.AB, 128, 256, n, 1);
            assertEquals(Route.DOT, p.route(), p::toString);
            assertEquals(2, p.mr(), p::toString);
        }
        // 10 columns pad to 12 in blocks of 4, costlier than the 8 × 8 tile at 2/3 of its speed
        assertEquals(Route.TILES, plan(AVX2, Op.AB, 128, 256, 10, 1).route());
        assertEquals(Route.TILES, plan(AVX2, Op.ABT, 128, 256, 10, 1).route());
    }

    @Test
    void theDotKernelNeedsTwoVectorsOfKAndEightOrSixteenLanes() {
        assertEquals(Route.TILES, plan(AVX512, Op.AB, 128, 31, 10, 1).route());
        assertEquals(Route.DOT, plan(AVX512, Op.AB, 128, 32, 10, 1).route());
        assertEquals(Route.TILES, plan(AVX2, Op.AB, 128, 15, 4, 1).route());
        assertEquals(Route.DOT, plan(AVX2, Op.AB, 128, 16, 4, 1).route());
        Kernels noDot = new Kernels(4, new int[] {4, 5}, 2, 4, false);   // 128-bit vectors
        assertEquals(Route.TILES, plan(noDot, Op.AB, 128, 256, 1, 1).route());
    }

    @Test
    void narrowAtbComputesCTransposedUnlessAnEpilogueFollows() {
        for (Kernels kernels : BOTH) {
            GemmPlan p = plan(kernels, Op.ATB, 128, 256, 10, 1);
            assertEquals(Route.TRANSPOSED, p.route(), p::toString);
            assertEquals(10, p.rows(), p::toString);
            assertEquals(128, p.cols(), p::toString);
            assertEquals(BPacking.IN_PLACE, p.bPacking(), p::toString);
            GemmPlan fused = GemmPlan.of(kernels, Op.ATB, 128, 256, 10, false, true, 1);
            assertEquals(Route.TILES, fused.route(), fused::toString);
        }
    }

    @Test
    void eachRouteServesItsOwnProduct() {
        for (GemmPlan p : manyPlans()) {
            switch (p.route()) {
                case DOT -> assertTrue(p.op() != Op.ATB, p::toString);
                case TRANSPOSED -> assertTrue(p.op() == Op.ATB && !p.fused(), p::toString);
                case TRANSPOSED_BUFFERED -> assertTrue(p.op() == Op.ABT && p.k() > 0, p::toString);
                case TILES -> { }
            }
        }
    }

    /**
     * Shapes within 10 % of a boundary of the cost model: each flips to another route when the cost factor named
     * beside it (or the dot kernel's efficiency) moves by 10 % in the direction given.
     */
    @Test
    void shapesNearTheCostModelsBoundariesKeepTheirRoutes() {
        Object[][] cases = {
            {AVX512, Op.ABT, 20, 256, 16, Route.DOT},                    // DOT_EFFICIENCY − 10 %
            {AVX512, Op.AB, 10, 256, 6, Route.TILES},                    // DOT_EFFICIENCY + 10 %
            {AVX512, Op.ATB, 48, 256, 100, Route.TILES},                 // SWAP_PENALTY − 10 %
            {AVX512, Op.ATB, 48, 256, 20, Route.TRANSPOSED},             // SWAP_PENALTY + 10 %
            {AVX512, Op.ABT, 16, 256, 16, Route.TILES},                  // ABT_SWAP − 10 %
            {AVX512, Op.ABT, 12, 256, 16, Route.TRANSPOSED_BUFFERED},    // ABT_SWAP + 10 %
            {AVX512, Op.ABT, 10, 256, 48, Route.TRANSPOSED_BUFFERED},    // TRANSPOSE_COST − 10 %
            {AVX512, Op.ABT, 12, 256, 48, Route.TILES},                  // TRANSPOSE_COST + 10 %
            {AVX2, Op.ABT, 8, 256, 20, Route.DOT},                       // DOT_EFFICIENCY − 10 %
            {AVX2, Op.AB, 8, 256, 3, Route.TILES},                       // DOT_EFFICIENCY + 10 %
            {AVX2, Op.ATB, 16, 256, 100, Route.TILES},                   // SWAP_PENALTY − 10 %
            {AVX2, Op.ATB, 48, 256, 10, Route.TRANSPOSED},               // SWAP_PENALTY + 10 %
            {AVX2, Op.ABT, 8, 256, 8, Route.TILES},                      // ABT_SWAP − 10 %
            {AVX2, Op.ABT, 10, 256, 12, Route.TRANSPOSED_BUFFERED},      // ABT_SWAP + 10 %
            {AVX2, Op.ABT, 6, 64, 16, Route.TRANSPOSED_BUFFERED},        // TRANSPOSE_COST − 10 %
            {AVX2, Op.ABT, 16, 256, 10, Route.TRANSPOSED_BUFFERED},      // TRANSPOSE_COST + 10 %
        };
        for (Object[] c : cases) {
            GemmPlan p = plan((Kernels) c[0], (Op) c[1], (int) c[2], (int) c[3], (int) c[4], 1);
            assertEquals(c[5], p.route(), p::toString);
        }
    }

    // ---- kernels and blocking

    @Test
    void theTileWithTheLeastPaddedWorkIsChosen() {
        assertTile(plan(AVX512, Op.AB, 128, 784, 512, 1), 12, 32);   // 128 = 10·12 + 8; 14 would pad to 140
        assertTile(plan(AVX512, Op.AB, 61, 300, 97, 1), 14, 32);     // 61 pads to 70 with 14, to 72 with 12
        assertTile(plan(AVX512, Op.AB, 128, 8, 10, 1), 16, 16);      // 10 columns: 16 wide wastes the least
        assertTile(plan(AVX512, Op.AB, 16, 64, 144, 1), 8, 48);      // 144 = 3·48
        assertTile(plan(AVX2, Op.AB, 128, 784, 512, 1), 6, 16);
        assertTile(plan(AVX2, Op.AB, 128, 8, 8, 1), 8, 8);
    }

    private static void assertTile(GemmPlan p, int mr, int nr) {
        assertEquals(mr + "×" + nr, p.mr() + "×" + p.nr(), p::toString);
    }

    @Test
    void kIsCutIntoBalancedBlocksOfAtMost512() {
        int[][] cases = {{0}, {1, 1}, {512, 512}, {513, 257, 256}, {784, 392, 392}, {1025, 342, 342, 341},
            {2048, 512, 512, 512, 512}};
        for (int[] c : cases) {
            GemmPlan p = plan(AVX512, Op.AB, 64, c[0], 64, 1);
            int[] blocks = new int[p.kBlocks()];
            for (int b = 0; b < blocks.length; b++) {
                blocks[b] = p.kc(b);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(c, 1, c.length), blocks, "k = " + c[0]);
        }
    }

    @Test
    void columnBlocksAreWholeTilesOfAtMost512Columns() {
        assertEquals(512, plan(AVX512, Op.AB, 128, 784, 512, 1).blockCols());
        assertEquals(480, plan(AVX512, Op.AB, 16, 64, 144, 1).blockCols());   // 10 tiles of 48
        assertEquals(512, plan(AVX2, Op.AB, 128, 784, 512, 1).blockCols());
    }

    // ---- packing

    @Test
    void bIsReadInPlaceUpTo256RowsAndPackedPast() {
        for (Kernels kernels : BOTH) {
            for (Op op : new Op[] {Op.AB, Op.ATB}) {
                assertEquals(BPacking.IN_PLACE, plan(kernels, op, 256, 300, 300, 1).bPacking(), op + " m = 256");
                assertEquals(BPacking.PANELS, plan(kernels, op, 257, 300, 300, 1).bPacking(), op + " m = 257");
            }
            assertEquals(BPacking.TRANSPOSED_PANELS, plan(kernels, Op.ABT, 1024, 1024, 1024, 1).bPacking());
        }
    }

    @Test
    void transposedAIsPackedForClaimsWiderThan256Columns() {
        GemmPlan atb = plan(AVX512, Op.ATB, 512, 128, 784, 1);
        assertTrue(atb.packsTransposedA(257));
        assertFalse(atb.packsTransposedA(256));
        assertFalse(plan(AVX512, Op.AB, 512, 128, 784, 1).packsTransposedA(784), "A row-major is read in place");
    }

    // ---- threads and units

    @Test
    void productsUnderTwoMegaflopsRunOnTheCallingThread() {
        GemmPlan small = plan(AVX512, Op.AB, 99, 100, 100, 4);   // 1.98 MFLOP
        assertEquals(1, small.threads(), small::toString);
        assertEquals(1, small.units(), small::toString);
        assertEquals(2, plan(AVX512, Op.AB, 100, 100, 100, 2).threads());
        assertEquals(1, GemmPlan.threadsFor(1, 1000, 1000, 1000));
    }

    @Test
    void wideProductsAreClaimedAsTileColumnsWideFirst() {
        GemmPlan p = plan(AVX512, Op.AB, 128, 784, 512, 2);
        assertEquals(Split.COLUMNS, p.split(), p::toString);
        assertEquals(16, p.units(), p::toString);
        assertEquals(32, p.unitSize(), p::toString);
        assertEquals(List.of(4, 3, 3, 2, 1, 1, 1, 1), claims(p));
    }

    @Test
    void productsTooNarrowForGuidedColumnsAreCutIntoAboutFourChunksPerThread() {
        // 2 tile columns of 48: 2 column chunks × 4 row chunks of 4 tiles of 8 rows, the target of 8 on 2 threads
        GemmPlan p = plan(AVX512, Op.AB, 128, 256, 96, 2);
        assertTile(p, 8, 48);
        assertEquals(Split.GRID, p.split(), p::toString);
        assertEquals(8, p.units(), p::toString);
        assertEquals(2, p.colChunks(), p::toString);
        assertEquals(32, p.chunkRows(), p::toString);
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1), claims(p));
    }

    @Test
    void atbWithManyColumnsKeepsPackedATransposedPanelsWide() {
        // a packed Aᵀ micro-panel should serve 256 columns or more: at most n / 256 column chunks
        GemmPlan p = plan(AVX512, Op.ATB, 256, 128, 512, 2);
        assertEquals(Split.GRID, p.split(), p::toString);
        assertEquals(2, p.colChunks(), p::toString);
        assertEquals(256, p.chunkCols(), p::toString);
    }

    @Test
    void cTransposedThroughTheBufferIsClaimedAsRowsOfCTransposed() {
        GemmPlan p = plan(AVX512, Op.ABT, 32, 784, 512, 2);
        assertEquals(Split.ROWS, p.split(), p::toString);
        assertEquals(p.mr(), p.unitSize(), p::toString);
        assertEquals(GemmPlan.ceil(512, p.mr()), p.units(), p::toString);
    }

    @Test
    void tallNarrowProductsAreClaimedAsRowsOfAtLeastHalfAMegaflop() {
        GemmPlan p = plan(AVX512, Op.AB, 600, 300, 10, 2);
        assertEquals(Route.DOT, p.route(), p::toString);
        assertEquals(Split.ROWS, p.split(), p::toString);
        assertEquals(200, p.units(), p::toString);
        assertEquals(27, p.minClaim(), p::toString);   // 500 000 / (2 · 300 · 3 · 10)
    }

    /**
     * Whatever the shape, the claims of a plan, taken one after another, cover the product computed exactly once, in
     * whole tiles from the top left.
     */
    @Test
    void theUnitsOfEveryPlanCoverTheProductOnce() {
        for (GemmPlan p : manyPlans()) {
            assertTrue(p.units() >= 1 && p.units() <= TeamJob.MAX_UNITS, p::toString);
            int rows = p.rows();
            int cols = p.cols();
            byte[] seen = new byte[rows * cols];
            for (int from = 0; from < p.units(); ) {
                int to = from + p.claimSize(p.units() - from);
                int i0 = p.rowStart(from);
                int j0 = p.colStart(from);
                if (i0 % p.mr() != 0 || j0 % p.nr() != 0) {
                    fail("units " + from + "–" + to + " start at (" + i0 + ", " + j0 + "), inside a tile: " + p);
                }
                for (int i = i0; i < p.rowEnd(from, to); i++) {
                    for (int j = j0; j < p.colEnd(from, to); j++) {
                        seen[i * cols + j]++;
                    }
                }
                from = to;
            }
            for (int e = 0; e < seen.length; e++) {
                if (seen[e] != 1) {
                    fail("element (" + e / cols + ", " + e % cols + ") computed " + seen[e] + " times: " + p);
                }
            }
        }
    }

    /**
     * The dot-product kernel sums lanes in another order than the tile kernels' chains, so it must be chosen for the
     * shape alone: then results do not depend on the thread count. (The tile routes all give the same bits.)
     */
    @Test
    void theDotKernelIsChosenWhateverTheThreadCount() {
        for (Kernels kernels : BOTH) {
            for (int m = 1; m <= 600; m += 37) {
                for (int n = 1; n <= 40; n += 3) {
                    for (int k : new int[] {16, 32, 784}) {
                        for (Op op : Op.values()) {
                            GemmPlan one = plan(kernels, op, m, k, n, 1);
                            for (int threads = 2; threads <= 4; threads++) {
                                GemmPlan p = plan(kernels, op, m, k, n, threads);
                                assertEquals(one.route() == Route.DOT, p.route() == Route.DOT, p::toString);
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- the cache

    @Test
    void theCacheKeepsOnePlanPerRequest() {
        GemmPlan.Cache cache = new GemmPlan.Cache();
        GemmPlan p = cache.get(Op.ABT, 32, 784, 512, false, true, 2);
        assertEquals(GemmPlan.of(Op.ABT, 32, 784, 512, false, true, 2), p);
        assertSame(p, cache.get(Op.ABT, 32, 784, 512, false, true, 2));
        assertNotSame(p, cache.get(Op.ABT, 32, 784, 512, true, true, 2));
        assertNotSame(p, cache.get(Op.ABT, 32, 784, 512, false, false, 2));
        assertNotSame(p, cache.get(Op.AB, 32, 784, 512, false, true, 2));
        assertNotSame(p, cache.get(Op.ABT, 32, 784, 512, false, true, 3));
        // below the parallel threshold every thread count has the one-thread plan
        GemmPlan small = cache.get(Op.AB, 8, 8, 8, false, false, 1);
        assertSame(small, cache.get(Op.AB, 8, 8, 8, false, false, 4));
    }

    @Test
    void aFullCacheReplacesItsOldestPlans() {
        GemmPlan.Cache cache = new GemmPlan.Cache();
        int count = GemmPlan.Cache.CAPACITY + 5;
        for (int round = 0; round < 2; round++) {
            for (int m = 1; m <= count; m++) {
                GemmPlan expected = GemmPlan.of(Op.AB, m, 64, 64, false, false, 2);
                assertEquals(expected, cache.get(Op.AB, m, 64, 64, false, false, 2));
            }
        }
        GemmPlan last = cache.get(Op.AB, count, 64, 64, false, false, 2);
        assertSame(last, cache.get(Op.AB, count, 64, 64, false, false, 2));
    }

    /** Units claimed one claim after another from the front, as the calling thread alone claims them. */
    private static List<Integer> claims(GemmPlan p) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = p.units(); left > 0; ) {
            int size = p.claimSize(left);
            sizes.add(size);
            left -= size;
        }
        return sizes;
    }

    /** Plans on both kernel sets for shapes around every threshold, each product, 1 to 3 threads. */
    private static List<GemmPlan> manyPlans() {
        int[] sizes = {1, 7, 13, 33, 100, 257, 600};
        int[] ks = {0, 1, 64, 784};
        List<GemmPlan> plans = new ArrayList<>();
        for (Kernels kernels : BOTH) {
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : ks) {
                        for (Op op : Op.values()) {
                            for (int threads = 1; threads <= 3; threads++) {
                                plans.add(GemmPlan.of(kernels, op, m, k, n, threads == 2, op == Op.ATB && m == 7,
                                        threads));
                            }
                        }
                    }
                }
            }
        }
        return plans;
    }
}
