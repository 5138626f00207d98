package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link Simd}, at the widest species the CPU offers (16 floats with AVX-512).
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present; nothing else may refer to it.
 */
final class VectorSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorSimd() {
    }

    static int bitSize() {
        return S.vectorBitSize();
    }

    static void axpy(int n, float a, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector va = FloatVector.broadcast(S, a);
        for (; i < bound; i += S.length()) {
            FloatVector vx = FloatVector.fromArray(S, x, xOff + i);
            FloatVector vy = FloatVector.fromArray(S, y, yOff + i);
            vx.fma(va, vy).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(a, x[xOff + i], y[yOff + i]);
        }
    }

    /**
     * Lane l accumulates the products at indices ≡ l (mod lanes) with fused multiply-adds; the lanes are then
     * summed in lane order, and the tail is added one fused multiply-add at a time.
     * <p><b>Note:</b> not {@code reduceLanes(ADD)}: its order of additions is unspecified, and in practice the
     * interpreted and the JIT-compiled code use different orders, so the same dot product changed in its last bit
     * once the method got hot, and Gemm's results depended on when they were computed.
     */
    static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc);
        }
        float s = 0f;
        for (int lane = 0; lane < S.length(); lane++) {
            s += acc.lane(lane);
        }
        for (; i < n; i++) {
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }
}
