package dev.nabla.optim;

import static dev.nabla.optim.SGDTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every optimizer shares: argument checks, zeroGrad, skipping parameters without a gradient, lr. */
class OptimizerTest {
    /** One of each optimizer, with momentum / weight decay on so that every state path runs. */
    static Stream<Function<List<Tensor>, Optimizer>> optimizers() {
        return Stream.of(
                params -> new SGD(params, 0.1),
                params -> new SGD(params, 0.1, SGD.Options.defaults().withMomentum(0.9).withNesterov(true)
                        .withWeightDecay(0.01)),
                params -> new Adam(params, 0.1, Adam.Options.defaults().withWeightDecay(0.01).withAmsgrad(true)),
                params -> new AdamW(params, 0.1));
    }

    private static List<Tensor> twoParams() {
        return List.of(Tensor.of(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3).requiresGrad(true),
                Tensor.of(new float[] {-1f, 0.5f}).requiresGrad(true));
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void parameterWithoutGradientIsUntouched(Function<List<Tensor>, Optimizer> make) {
        List<Tensor> params = twoParams();
        Optimizer opt = make.apply(params);
        float[] before1 = params.get(1).toArray();
        float[] before0 = params.get(0).toArray();
        params.get(0).setGrad(Tensor.full(0.5f, 2, 3));
        for (int i = 0; i < 3; i++) {
            opt.step();
        }
        assertArrayEquals(before1, params.get(1).data());
        assertNull(params.get(1).grad());
        assertNotEquals(before0[0], params.get(0).data()[0]);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void stepWithNoGradientsAtAllDoesNothing(Function<List<Tensor>, Optimizer> make) {
        List<Tensor> params = twoParams();
        make.apply(params).step();
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, params.get(0).data());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void zeroGradZeroesInPlaceAndLeavesMissingGradientsMissing(Function<List<Tensor>, Optimizer> make) {
        List<Tensor> params = twoParams();
        Optimizer opt = make.apply(params);
        Tensor loss = Functional.sum(Functional.mul(params.get(0), params.get(0)));
        loss.backward();
        Tensor grad = params.get(0).grad();
        assertEquals(2f, grad.data()[0]);
        opt.zeroGrad();
        assertSame(grad, params.get(0).grad(), "zeroGrad keeps the gradient buffer");
        assertArrayEquals(new float[6], grad.data());
        assertNull(params.get(1).grad());
        // The zeroed gradient is accumulated into by the next backward pass.
        Functional.sum(params.get(0)).backward();
        assertArrayEquals(new float[] {1f, 1f, 1f, 1f, 1f, 1f}, params.get(0).grad().data());
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void stepAllocatesNothing(Function<List<Tensor>, Optimizer> make) {
        var bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
        var threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        List<Tensor> params = List.of(Tensor.zeros(4096).requiresGrad(true), Tensor.zeros(64).requiresGrad(true));
        params.get(0).setGrad(Tensor.full(1e-3f, 4096));
        params.get(1).setGrad(Tensor.full(-1e-3f, 64));
        Optimizer opt = make.apply(params);
        for (int i = 0; i < 5000; i++) {   // until the JIT has compiled the vector loops, which box until then
            opt.step();
        }
        long tid = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 200; i++) {
            opt.step();
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // One buffer the size of the first parameter per step would be 200 · 16 KiB ≈ 3.2 MB.
        assertEquals(0, allocated / (64 * 1024), opt + " allocated " + allocated + " bytes in 200 steps");
    }

    @Test
    void parametersAreCheckedWithTheFix() {
        assertMessage("SGD got an empty parameter list: pass the tensors to train, e.g. model.parameters()",
                () -> new SGD(List.of(), 0.1));
        Tensor frozen = Tensor.zeros(2, 3);
        assertMessage("parameter 1 (shape [2, 3]) does not require a gradient: call requiresGrad(true) on it, or leave it out",
                () -> new Adam(List.of(Tensor.zeros(1).requiresGrad(true), frozen), 0.1));
        Tensor leaf = Tensor.zeros(3).requiresGrad(true);
        Tensor made = Functional.add(leaf, leaf);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AdamW(List.of(made), 0.1));
        assertEquals("parameter 0 (shape [3]) is not a leaf (made by " + made.gradFn().name()
                + "): an optimizer updates leaf tensors only", e.getMessage());
        assertMessage("parameter 1 is the same tensor as parameter 0: list each parameter once, or it would be updated twice per step",
                () -> new SGD(List.of(leaf, leaf), 0.1));
        List<Tensor> withNull = new ArrayList<>();
        withNull.add(leaf);
        withNull.add(null);
        assertMessage("parameter 1 is null", () -> new SGD(withNull, 0.1));
    }

    @Test
    void setLrIsCheckedAndUsedByTheNextStep() {
        Tensor p = Tensor.zeros(1).requiresGrad(true);
        p.setGrad(Tensor.ones(1));
        var opt = new SGD(List.of(p), 0.5);
        opt.step();
        opt.setLr(0.25);
        assertEquals(0.25, opt.lr());
        opt.step();
        assertEquals(-0.75f, p.data()[0]);
        assertMessage("lr must be finite and >= 0, got -1.0", () -> opt.setLr(-1));
        assertMessage("lr must be finite and >= 0, got NaN", () -> opt.setLr(Double.NaN));
        assertEquals(0.25, opt.lr(), "a rejected lr leaves the old one");
        opt.setLr(0);
        opt.step();
        assertEquals(-0.75f, p.data()[0], "lr 0 is allowed and leaves the parameters");
    }

    @Test
    void parametersKeepTheirOrderAndCannotBeChanged() {
        List<Tensor> params = twoParams();
        var opt = new Adam(params, 0.1);
        assertEquals(params, opt.parameters());
        assertThrows(UnsupportedOperationException.class, () -> opt.parameters().add(Tensor.zeros(1)));
    }
}
