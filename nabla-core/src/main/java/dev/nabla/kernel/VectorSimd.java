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

    private static final FloatVector LOG2E = FloatVector.broadcast(S, FastExp.LOG2E);
    private static final FloatVector ROUNDER = FloatVector.broadcast(S, FastExp.ROUNDER);
    private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(S, -FastExp.LN2_HI);
    private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(S, -FastExp.LN2_LO);
    private static final FloatVector P0 = FloatVector.broadcast(S, FastExp.P0);
    private static final FloatVector P1 = FloatVector.broadcast(S, FastExp.P1);
    private static final FloatVector P2 = FloatVector.broadcast(S, FastExp.P2);
    private static final FloatVector P3 = FloatVector.broadcast(S, FastExp.P3);
    private static final FloatVector P4 = FloatVector.broadcast(S, FastExp.P4);
    private static final FloatVector P5 = FloatVector.broadcast(S, FastExp.P5);
    private static final int EXPONENT_FROM_ROUNDER = 127 - Float.floatToRawIntBits(FastExp.ROUNDER);

    /**
     * {@link FastExp#nonPositive} in every lane, with the same operations, so the results are bit-identical.
     * <p><b>Note:</b> kept short (constants hoisted into fields) so that C2 inlines it into the callers' loops;
     * a vector passed to a method that is not inlined is boxed on the heap, which costs far more than the exp.
     */
    static FloatVector expNonPositive(FloatVector x) {
        FloatVector v = x.blend(0f, x.compare(VectorOperators.GT, 0f));   // Math.min(x, 0f), NaN and −0 included
        FloatVector shifted = v.fma(LOG2E, ROUNDER);
        FloatVector n = shifted.sub(ROUNDER);
        FloatVector r = n.fma(MINUS_LN2_LO, n.fma(MINUS_LN2_HI, v));
        FloatVector p = P0.fma(r, P1).fma(r, P2).fma(r, P3).fma(r, P4).fma(r, P5).fma(r.mul(r), r).add(1f);
        // 2^n from the bits of n + ROUNDER, whose mantissa holds n: (bits − bits(ROUNDER) + 127) << 23
        FloatVector scale = ((IntVector) shifted.reinterpretAsInts()).add(EXPONENT_FROM_ROUNDER)
                .lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale).blend(0f, x.lt(FastExp.LOWEST));
    }
}
