package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardHookTest {
    private final Linear first = new Linear(4, 3, new Rng(1));
    private final ReLU relu = new ReLU();
    private final Sequential inner = new Sequential(new Linear(3, 2, new Rng(2)), new Tanh());
    private final Sequential model = new Sequential(first, relu, inner);
    private final Tensor x = Tensor.randn(new Rng(3), 5, 4);

    @Test
    void hooksFireAfterForwardInOrderWithTheModulesInputAndOutput() {
        List<String> seen = new ArrayList<>();
        Tensor[] reluIo = new Tensor[2];
        model.namedModules().forEach((path, m) -> m.addForwardHook((module, in, out) -> {
            assertSame(m, module);
            seen.add(path.isEmpty() ? "model" : path);
        }));
        relu.addForwardHook((module, in, out) -> {
            reluIo[0] = in;
            reluIo[1] = out;
        });
        Tensor y = model.call(x);
        // children finish before their container: post-order
        assertEquals(List.of("0", "1", "2.0", "2.1", "2", "model"), seen);
        assertArrayEquals(first.forward(x).data(), reluIo[0].data());
        assertArrayEquals(relu.forward(reluIo[0]).data(), reluIo[1].data());
        assertArrayEquals(model.forward(x).data(), y.data());
    }

    @Test
    void forwardCalledDirectlyRunsTheModulesOwnHooksNot() {
        int[] calls = {0, 0};
        model.addForwardHook((m, in, out) -> calls[0]++);
        relu.addForwardHook((m, in, out) -> calls[1]++);
        model.forward(x);
        assertEquals(0, calls[0], "forward() is the computation alone");
        assertEquals(1, calls[1], "a container calls its children with call()");
    }

    @Test
    void aRemovedHookNoLongerFiresAndRemovingTwiceIsHarmless() {
        int[] calls = {0};
        HookHandle handle = relu.addForwardHook((m, in, out) -> calls[0]++);
        model.call(x);
        handle.remove();
        handle.remove();
        model.call(x);
        assertEquals(1, calls[0]);
        assertEquals(0, relu.hookCount());
        try (HookHandle scoped = relu.addForwardHook((m, in, out) -> calls[0]++)) {
            model.call(x);
        }
        model.call(x);
        assertEquals(2, calls[0]);
    }

    @Test
    void anInputHookRunsBeforeForwardAndMayHandItAnotherTensorOfTheSameValues() {
        float[] expected = model.forward(x).data();
        List<String> order = new ArrayList<>();
        Tensor[] replacement = new Tensor[1];
        relu.addInputHook((m, in) -> {
            order.add("input");
            replacement[0] = in.detach().copy().requiresGrad(true);
            return replacement[0];
        });
        relu.addForwardHook((m, in, out) -> {
            order.add("forward");
            assertSame(replacement[0], in, "the forward hook sees the input the module ran on");
        });
        Tensor y = model.call(x);
        assertEquals(List.of("input", "forward"), order);
        assertArrayEquals(expected, y.data(), "same values, same result");
        Functional.sum(y).backward();
        assertEquals(5 * 3, replacement[0].grad().size(), "the gradient reaches the replacement");
    }

    @Test
    void anInputHookOnTheActivationKeepsSequentialFromFusingIt() {
        Sequential pair = new Sequential(new Linear(4, 3, new Rng(1)), new ReLU());
        assertEquals("Affine", pair.forward(x).gradFn().name(), "fused without hooks");
        pair.get(1).addInputHook((m, in) -> in);
        assertEquals("Relu", pair.forward(x).gradFn().name(), "the hook needs the Linear's output as a tensor");
    }
}
