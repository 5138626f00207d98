package dev.nabla.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API path of {@link OptimizerKernels}: the same operations in the same order on whole vectors. Each
 * method handles the whole vectors of {@code [from, to)} and returns where it stopped; the caller finishes the tail.
 * <p><b>Note:</b> only loaded when {@code jdk.incubator.vector} is present.
 */
final class VectorOptimizerKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorOptimizerKernels() {
    }

    /** {@link OptimizerKernels#sgd} over the whole vectors of {@code [from, to)}; returns the first index not done. */
    static int sgd(float[] p, float[] grad, float[] buf, boolean first, float negLr, float decay, float momentum,
                   float dampen, boolean nesterov, int from, int to) {
        FloatVector vDecay = FloatVector.broadcast(S, decay);
        FloatVector vNegLr = FloatVector.broadcast(S, negLr);
        FloatVector vMomentum = FloatVector.broadcast(S, momentum);
        FloatVector vDampen = FloatVector.broadcast(S, dampen);
        int end = from + S.loopBound(to - from);
        int i = from;
        if (buf == null) {
            for (; i < end; i += S.length()) {
                FloatVector theta = FloatVector.fromArray(S, p, i);
                FloatVector g = FloatVector.fromArray(S, grad, i);
                if (decay != 0f) {
                    g = theta.fma(vDecay, g);
                }
                g.fma(vNegLr, theta).intoArray(p, i);
            }
            return i;
        }
        for (; i < end; i += S.length()) {
            FloatVector theta = FloatVector.fromArray(S, p, i);
            FloatVector g = FloatVector.fromArray(S, grad, i);
            if (decay != 0f) {
                g = theta.fma(vDecay, g);
            }
            FloatVector b = first ? g : g.fma(vDampen, FloatVector.fromArray(S, buf, i).mul(vMomentum));
            b.intoArray(buf, i);
            g = nesterov ? b.fma(vMomentum, g) : b;
            g.fma(vNegLr, theta).intoArray(p, i);
        }
        return i;
    }

    /** {@link OptimizerKernels#adam} over the whole vectors of {@code [from, to)}; returns the first index not done. */
    static int adam(float[] p, float[] grad, float[] m, float[] v, float[] vMax, OptimizerKernels.AdamStep s,
                    int from, int to) {
        float shrink = s.shrink();
        float l2 = s.l2();
        float beta1 = s.beta1();
        float oneMinusB1 = s.oneMinusBeta1();
        float beta2 = s.beta2();
        float oneMinusB2 = s.oneMinusBeta2();
        float negStep = s.negStep();
        float bc2Sqrt = s.bc2Sqrt();
        float eps = s.eps();
        FloatVector vL2 = FloatVector.broadcast(S, l2);
        FloatVector vOneMinusB1 = FloatVector.broadcast(S, oneMinusB1);
        int end = from + S.loopBound(to - from);
        int i = from;
        for (; i < end; i += S.length()) {
            FloatVector theta = FloatVector.fromArray(S, p, i);
            if (shrink != 1f) {
                theta = theta.mul(shrink);
            }
            FloatVector g = FloatVector.fromArray(S, grad, i);
            if (l2 != 0f) {
                g = theta.fma(vL2, g);
            }
            FloatVector mi = g.fma(vOneMinusB1, FloatVector.fromArray(S, m, i).mul(beta1));
            FloatVector vi = g.mul(oneMinusB2).fma(g, FloatVector.fromArray(S, v, i).mul(beta2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector vHat = vi;
            if (vMax != null) {
                vHat = FloatVector.fromArray(S, vMax, i).max(vi);
                vHat.intoArray(vMax, i);
            }
            FloatVector denom = vHat.sqrt().div(bc2Sqrt).add(eps);
            theta.add(mi.mul(negStep).div(denom)).intoArray(p, i);
        }
        return i;
    }
}
