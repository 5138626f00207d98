package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
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

    static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        int i = 0;
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (; i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s = Math.fma(x[xOff + i], y[yOff + i], s);
        }
        return s;
    }
}
