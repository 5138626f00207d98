package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of the element-wise activations of {@link Elementwise} that need an exponential. Each method
 * handles the whole vectors and returns where it stopped; the caller finishes the tail with the scalar twin, which
 * does the same operations, so every element gets the same bits either way.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);

    private VectorElementwise() {
    }

    /** {@link Elementwise#sigmoidOf} over the whole vectors of x; returns the first index not done. */
    static int sigmoid(float[] x, float[] y) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector e = VectorSimd.expNonPositive(v.abs().neg());
            ONE.blend(e, v.lt(0f)).div(e.add(1f)).intoArray(y, i);
        }
        return bound;
    }

    /** {@link Elementwise#tanhOf} over the whole vectors of x; returns the first index not done. */
    static int tanh(float[] x, float[] y) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector a = v.abs();
            FloatVector p = a.mul(a);
            FloatVector series = a.mul(p.mul(p.mul(p.mul(-17f / 315f).add(2f / 15f)).add(-1f / 3f)).add(1f));
            FloatVector e = VectorSimd.expNonPositive(a.mul(-2f));
            FloatVector exact = ONE.sub(e).div(ONE.add(e));
            FloatVector t = exact.blend(series, a.lt(Elementwise.TANH_SERIES_BELOW));
            VectorMask<Float> negative = v.lt(0f);
            t.blend(t.neg(), negative).intoArray(y, i);
        }
        return bound;
    }

    /** {@code dx = dy} where x &gt; 0, else 0, over the whole vectors; returns the first index not done. */
    static int reluBackward(float[] x, float[] dy, float[] dx) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector.fromArray(S, dy, i).blend(0f, v.compare(VectorOperators.GT, 0f).not()).intoArray(dx, i);
        }
        return bound;
    }

    /** {@code y = max(x, 0)} over the whole vectors (NaN stays NaN); returns the first index not done. */
    static int relu(float[] x, float[] y) {
        int bound = S.loopBound(x.length);
        for (int i = 0; i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
        }
        return bound;
    }
}
