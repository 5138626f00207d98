package dev.nabla.nn;

import dev.nabla.tensor.Tensor;

/** Reshapes {@code [N, d1, d2, …]} to {@code [N, d1·d2·…]} without copying, so images can feed a {@link Linear}. */
public final class Flatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.flatten();
    }
}
