package dev.nabla.kernel;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.tensor.Rng;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Once the JIT has compiled it, a {@link Gemm} product allocates nothing, on the calling thread or on the
 * workers: the packing buffers are per thread and reused, and every {@code FloatVector} is scalar-replaced.
 * Bytes are counted with {@code ThreadMXBean.getThreadAllocatedBytes}; a vector that escapes (or code still
 * interpreted) allocates on every call, so zero also proves the kernels run compiled.
 *
 * <p>Tagged {@code own-jvm}: it runs in a JVM of its own. After the other test classes have run their vector code
 * in the same JVM, the JIT now and then compiled the kernels with their {@code FloatVector} calls left virtual
 * (every vector a heap object), the slow mode that also shows in about one benchmark process in ten; this test
 * checks the kernels as they compile when products are what the process runs.
 */
@Tag("own-jvm")
@ExtendWith(RestoreThreads.class)
class GemmAllocationTest {
    private static final int MAX_ROUNDS = 200;
    @Test
    void aWarmProductAllocatesNothingOnOneOrTwoThreads() {
        assumeTrue(Simd.VECTORIZED, "the scalar fallback splits rows with a lambda and is not held to this");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
        // edge tiles in both directions, two k blocks, large enough for two threads; a narrow one (the dot-product
        // kernel, or a transposed C); and x·Wᵀ at a small batch (Cᵀ through each thread's buffer)
        int[][] shapes = {{61, 300, 97}, {128, 256, 10}, {32, 512, 256}};
        Rng rng = new Rng(9);
        for (int threads = 1; threads <= 2; threads++) {
            Parallel.setThreads(threads);
            for (int[] s : shapes) {
                int m = s[0];
                int k = s[1];
                int n = s[2];
                float[] a = GemmTest.gaussian(rng, m * k);
                float[] b = GemmTest.gaussian(rng, k * n);
                float[] c = new float[m * n];
                long[] ids = threadIds();
                long bytes = -1;
                for (int round = 0; round < MAX_ROUNDS && bytes != 0; round++) {
                    long before = allocated(mx, ids);
                    for (int call = 0; call < 20; call++) {
                        Gemm.ab(a, b, c, m, k, n, false);
                        Gemm.atb(a, b, c, m, k, n, true);
                        Gemm.abt(a, b, c, m, k, n, true);
                    }
                    bytes = allocated(mx, ids) - before;
                    ids = threadIds();   // the workers exist after the first two-thread product
                }
                if (bytes != 0) {
                    fail(m + "x" + k + "x" + n + " on " + threads + " thread(s): still " + bytes + " bytes per 60 "
                            + "products after " + MAX_ROUNDS + " rounds of warm-up");
                }
            }
        }
    }

    /** This thread and the team's workers ({@link Team}). */
    private static long[] threadIds() {
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().threadId());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("nabla-worker-")) {
                ids.add(t.threadId());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    private static long allocated(com.sun.management.ThreadMXBean mx, long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        }
        return sum;
    }
}
