package dev.nabla.nn;

import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * Channel dropout, as PyTorch's {@code nn.Dropout2d}: in training mode each feature map of x {@code [N, C, H, W]} is
 * zeroed whole with probability p and the others are scaled by 1/(1 − p) ({@link Functional#dropout2d}); in
 * evaluation mode the identity. The masks come from a seeded generator, saved with checkpoints.
 */
public final class Dropout2d extends Module {
    private final float p;
    private final Rng rng;

    /** Drop probability p, masks drawn from a generator split off {@link Init#defaultGenerator()}. */
    public Dropout2d(float p) {
        this(p, Init.defaultGenerator());
    }

    /** Drop probability p in [0, 1], masks drawn from {@code rng}. */
    public Dropout2d(float p, Rng rng) {
        Checks.unitClosed("Dropout2d probability", p);
        this.p = p;
        this.rng = registerGenerator("generator", rng.split());
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.dropout2d(x, p, isTraining(), rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
