package dev.nabla.ops;

import java.util.Locale;

/**
 * Which GELU {@link Functional#gelu(dev.nabla.tensor.Tensor, GeluApproximation)} computes, as PyTorch's
 * {@code approximate} argument: the exact x·Φ(x), or the tanh curve that BERT and GPT-2 were trained with.
 */
public enum GeluApproximation {
    /** x·Φ(x) with Φ the standard normal distribution function, Φ(x) = ½(1 + erf(x/√2)). */
    NONE,
    /** ½x(1 + tanh(√(2/π)(x + 0.044715x³))), within 5e-4 of the exact form everywhere. */
    TANH;

    /** The name PyTorch's {@code approximate} argument takes: {@code none} or {@code tanh}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
