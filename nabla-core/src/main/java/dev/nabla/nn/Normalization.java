package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/**
 * What the normalisation layers share: after normalising, an optional learned scale γ ({@code weight}, starting at
 * 1) and shift β ({@code bias}, starting at 0), so that the layer can undo the normalisation where training finds
 * that better. The layers differ in what they normalise over: the batch ({@link BatchNorm}), each sample's last
 * dimensions ({@link LayerNorm}), or groups of channels ({@link GroupNorm}).
 */
public abstract sealed class Normalization extends Module permits BatchNorm, LayerNorm, GroupNorm {
    private final Tensor weight;
    private final Tensor bias;

    /** Registers γ and β of {@code shape} when {@code affine}; otherwise the layer has no parameters. */
    Normalization(boolean affine, int... shape) {
        this.weight = affine ? registerParameter("weight", Tensor.ones(shape)) : null;
        this.bias = affine ? registerParameter("bias", Tensor.zeros(shape)) : null;
    }

    /** γ, or {@code null} for a layer without learned scale and shift. */
    public final Tensor weight() {
        return weight;
    }

    /** β, or {@code null} for a layer without learned scale and shift. */
    public final Tensor bias() {
        return bias;
    }
}
