package dev.nabla.kernel;

/**
 * One thread's buffers for the products it computes part of ({@link GemmJob}), its kept plans and the job it starts
 * ({@link VectorGemm}). Allocated on the thread's first product; the buffers that depend on the shape grow to the
 * largest seen. So once warm a product allocates nothing, on the caller or on the workers, and no two threads
 * share a buffer.
 */
final class GemmWorkspace {
    private static final int L = GemmKernels.L;
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

    private static final ThreadLocal<GemmWorkspace> CURRENT = ThreadLocal.withInitial(GemmWorkspace::new);

    /** The packed B block: panels of kc × NR, one after the other. */
    final float[] bPack = new float[GemmPlan.KC * GemmPlan.NC + MAX_NR + L];
    /** The packed A micro-panel (MR × kc), plus room for whole-vector stores past its end. */
    final float[] aPack = new float[MAX_MR * GemmPlan.KC + 2 * L];
    /** The C tile of an edge, MR × NR, row stride NR. */
    final float[] cTile = new float[MAX_MR * MAX_NR];
    /** Row offsets of a block transpose. */
    final int[] rows = new int[L];
    /** Lane sums of the dot-product kernel. */
    final float[] sums = new float[32];
    /** Aᵀ packed for a whole k block (claims wider than 256 columns of an Aᵀ·B only). */
    private float[] aBlock = new float[0];
    /** Bᵀ for the dot-product kernel (narrow A·B only). */
    private float[] bt = new float[0];
    /**
     * All of op(B) packed, for {@link GemmPlan.BPacking#TRANSPOSED_PANELS_ONCE}: packed once per product by each
     * thread that computes part of it ({@link GemmPacking#packAllTransposedB}).
     */
    private float[] bAll = new float[0];
    /** The job whose op(B) {@link #bAll} holds, during this thread's {@link TeamJob#work} on it; else null. */
    GemmJob bAllJob;
    /** Rows of Cᵀ of a {@link GemmPlan.Route#TRANSPOSED_BUFFERED} product. */
    private float[] t = new float[0];
    /** The plans of the products this thread starts. */
    final GemmPlan.Cache plans = new GemmPlan.Cache();
    /** The products this thread starts, each computed by this thread and the team's workers. */
    final GemmJob job = new GemmJob();

    private GemmWorkspace() {
    }

    /** The calling thread's workspace. */
    static GemmWorkspace current() {
        return CURRENT.get();
    }

    /** {@link #aBlock}, grown to at least {@code size} floats. */
    float[] aBlock(int size) {
        if (aBlock.length < size) {
            aBlock = new float[size];
        }
        return aBlock;
    }

    /** {@link #bt}, grown to at least {@code size} floats. */
    float[] bt(int size) {
        if (bt.length < size) {
            bt = new float[size];
        }
        return bt;
    }

    /** What {@link #bAll} holds now. */
    float[] bAll() {
        return bAll;
    }

    /** {@link #bAll}, grown to at least {@code size} floats. */
    float[] bAll(int size) {
        if (bAll.length < size) {
            bAll = new float[size];
        }
        return bAll;
    }

    /** {@link #t}, grown to at least {@code size} floats. */
    float[] t(int size) {
        if (t.length < size) {
            t = new float[size];
        }
        return t;
    }
}
