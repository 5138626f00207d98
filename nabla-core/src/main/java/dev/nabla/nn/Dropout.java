package dev.nabla.nn;

import dev.nabla.ops.Checks;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;

/**
 * In training mode zeroes each value with probability p and scales the rest by 1/(1 − p); in evaluation mode
 * passes the input through unchanged. The mask is drawn from a seeded generator, so runs repeat exactly.
 */
public final class Dropout extends Module {
    private final float p;
    private final Rng rng;

    /** Drop probability p, masks drawn from a generator split off {@link Init#defaultGenerator()}. */
    public Dropout(float p) {
        this(p, Init.defaultGenerator());
    }

    /** Drop probability p in [0, 1], masks drawn from {@code rng}. */
    public Dropout(float p, Rng rng) {
        Checks.unitClosed("Dropout probability", p);
        this.p = p;
        this.rng = registerGenerator("generator", rng.split());
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.dropout(x, p, isTraining(), rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
