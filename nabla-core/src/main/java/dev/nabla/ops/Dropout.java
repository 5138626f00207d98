package dev.nabla.ops;

import dev.nabla.autograd.Function;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * Inverted dropout: each value is zeroed with probability p and the survivors are scaled by 1/(1 − p), so the
 * expected output equals the input and evaluation needs no rescaling. Channel dropout ({@code dropout2d}) draws one
 * mask value per run of {@code group} consecutive values: a whole feature map of {@code [N, C, H, W]}.
 * <p>Backward: y = x · m with the saved mask m ∈ {0, 1/(1 − p)}, so {@code dx = g · m}.
 */
final class Dropout extends Function {
    private final float p;
    private final Rng rng;
    private final int group;
    private float[] mask;

    Dropout(float p, Rng rng) {
        this(p, rng, 1);
    }

    /**
     * Channel dropout of x {@code [N, C, H, W]} or {@code [C, H, W]}: one mask value per feature map.
     *
     * @throws IllegalArgumentException for p outside [0, 1] or another rank
     */
    static Dropout channels(Tensor x, float p, Rng rng) {
        Checks.unitClosed("dropout probability", p);
        PoolGeometry.checkRank("dropout2d", x);
        return new Dropout(p, rng, x.dim(x.rank() - 1) * x.dim(x.rank() - 2));
    }

    Dropout(float p, Rng rng, int group) {
        this.p = p;
        this.rng = rng;
        this.group = group;
    }

    @Override
    protected Tensor forward(Tensor... in) {
        Tensor x = in[0];
        mask = Tensor.activationBuffer(x.shape()).data();
        float keep = p < 1f ? 1f / (1f - p) : 0f;
        Tensor y = Tensor.activationBuffer(x.shape());
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i % group != 0 ? mask[i - 1] : rng.nextFloat() >= p ? keep : 0f;
            y.data()[i] = x.data()[i] * mask[i];
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        Tensor dx = Tensor.gradientBuffer(g.shape());
        for (int i = 0; i < mask.length; i++) {
            dx.data()[i] = g.data()[i] * mask[i];
        }
        return new Tensor[] {dx};
    }
}
