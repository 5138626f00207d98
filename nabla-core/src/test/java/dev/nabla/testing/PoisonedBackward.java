package dev.nabla.testing;

import dev.nabla.autograd.Function;
import dev.nabla.nn.Module;
import dev.nabla.tensor.Tensor;
import java.util.Arrays;

/**
 * A test layer that is the identity going forward and turns its incoming gradient into NaN going backward, from a
 * chosen step on: a gradient that becomes NaN while the output and the loss stay finite.
 */
public final class PoisonedBackward extends Module {
    private final int fromCall;
    private int calls;

    /** Poisons the backward of the {@code fromCall}-th (1-based) training forward and every later one. */
    public PoisonedBackward(int fromCall) {
        this.fromCall = fromCall;
    }

    @Override
    public Tensor forward(Tensor x) {
        calls++;
        boolean poison = isTraining() && calls >= fromCall;
        return Function.apply(new Function() {
            @Override
            protected Tensor forward(Tensor... in) {
                return in[0].copy();
            }

            @Override
            protected Tensor[] backward(Tensor gradOutput) {
                Tensor g = gradOutput.copy();
                if (poison) {
                    Arrays.fill(g.data(), Float.NaN);
                }
                return new Tensor[] {g};
            }
        }, x);
    }
}
