package dev.nabla.loss;

import dev.nabla.ops.Reduction;
import java.util.Objects;

/** Checks shared by the loss classes. */
final class Losses {
    private Losses() {
    }

    static Reduction notBatchMean(Reduction r, String loss) {
        Objects.requireNonNull(r, "reduction");
        if (r == Reduction.BATCHMEAN) {
            throw new IllegalArgumentException(loss + " does not take BATCHMEAN (the KL divergence's reduction): "
                    + "use MEAN, SUM or NONE");
        }
        return r;
    }
}
