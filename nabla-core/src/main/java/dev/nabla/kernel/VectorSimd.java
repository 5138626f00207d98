package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
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

    /** {@link FastExp#nonPositive} in every lane, with the same operations, so the results are bit-identical. */
    static FloatVector expNonPositive(FloatVector x) {
        VectorMask<Float> under = x.compare(VectorOperators.GE, FastExp.LOWEST).not();   // below range, or NaN
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
        FloatVector v = x.lanewise(VectorOperators.MAX, FastExp.LOWEST).lanewise(VectorOperators.MIN, 0f);
        FloatVector n = v.fma(bc(FastExp.LOG2E), bc(FastExp.ROUNDER)).sub(FastExp.ROUNDER);
        FloatVector r = n.fma(bc(-FastExp.LN2_HI), v);
        r = n.fma(bc(-FastExp.LN2_LO), r);
        FloatVector p = bc(FastExp.P0).fma(r, bc(FastExp.P1));
        p = p.fma(r, bc(FastExp.P2));
        p = p.fma(r, bc(FastExp.P3));
        p = p.fma(r, bc(FastExp.P4));
        p = p.fma(r, bc(FastExp.P5));
        p = p.fma(r.mul(r), r).add(1f);
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector scale = (FloatVector) bits.reinterpretAsFloats();
        FloatVector e = p.mul(scale);
        return e.blend(0f, under.andNot(nan)).blend(x, nan);
    }

    private static FloatVector bc(float value) {
        return FloatVector.broadcast(S, value);
    }
}
