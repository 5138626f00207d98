package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OptimizerStateTest {
    private static List<Tensor> params() {
        Rng rng = new Rng(3);
        return List.of(Tensor.randn(rng, 3, 2).requiresGrad(true), Tensor.randn(rng, 4).requiresGrad(true));
    }

    private static void steps(Optimizer opt, int from, int count) {
        for (int s = from; s < from + count; s++) {
            for (Tensor p : opt.parameters()) {
                float[] g = new float[p.size()];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (float) Math.sin(s * 7 + i) * (1 + s);
                }
                p.setGrad(Tensor.wrap(g, p.shape()));
            }
            opt.step();
        }
    }

    private static void resumesExactly(Function<List<Tensor>, Optimizer> make, List<String> bufferNames) {
        Optimizer straight = make.apply(params());
        steps(straight, 0, 6);
        Optimizer first = make.apply(params());
        steps(first, 0, 3);
        Optimizer.State saved = first.stateDict();
        assertEquals(List.copyOf(saved.params().get(0).buffers().keySet()), bufferNames);
        List<Tensor> copies = first.parameters().stream().map(Tensor::copy).map(t -> t.requiresGrad(true)).toList();
        Optimizer second = make.apply(copies);
        second.loadStateDict(saved);
        steps(second, 3, 3);
        for (int k = 0; k < copies.size(); k++) {
            assertArrayEquals(straight.parameters().get(k).data(), second.parameters().get(k).data(), "parameter " + k);
        }
    }

    @Test
    void sgdWithMomentumResumesBitForBit() {
        resumesExactly(p -> new SGD(p, 0.1, SGD.Options.defaults().withMomentum(0.9).withNesterov(true)),
                List.of("momentum_buffer"));
    }

    @Test
    void adamWithAmsgradResumesBitForBit() {
        resumesExactly(p -> new Adam(p, 1e-2, Adam.Options.defaults().withAmsgrad(true).withWeightDecay(0.01)),
                List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq"));
    }

    @Test
    void adamWResumesBitForBitAndCountsSteps() {
        resumesExactly(p -> new AdamW(p, 1e-2), List.of("exp_avg", "exp_avg_sq"));
        AdamW opt = new AdamW(params(), 1e-2);
        assertTrue(opt.stateDict().params().get(0).buffers().isEmpty(), "no state before the first step, as PyTorch");
        steps(opt, 0, 2);
        assertEquals(2, opt.stateDict().params().get(1).step());
    }

    @Test
    void aStateOfAnotherOptimizerIsRefusedAndChangesNothing() {
        Adam adam = new Adam(params(), 1e-3);
        steps(adam, 0, 1);
        SGD sgd = new SGD(params(), 0.1, SGD.Options.defaults().withMomentum(0.9));
        steps(sgd, 0, 1);
        Optimizer.State before = sgd.stateDict();
        var e = assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(adam.stateDict()));
        assertTrue(e.getMessage().startsWith("the optimizer state of parameter 0 holds [exp_avg, exp_avg_sq] where "
                + "this SGD("), e.getMessage());
        assertArrayEquals(before.params().get(0).buffers().get("momentum_buffer").data(),
                sgd.stateDict().params().get(0).buffers().get("momentum_buffer").data());
        var wrongCount = new Optimizer.State(0.1, List.of(new Optimizer.ParamState(0, Map.of())));
        assertEquals("the optimizer state holds 1 parameters, this SGD updates 2: load it into an optimizer over the "
                + "same model", assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(wrongCount))
                .getMessage());
        var stepsWithoutMoments = new Optimizer.State(0.1, List.of(new Optimizer.ParamState(5, Map.of()),
                new Optimizer.ParamState(0, Map.of())));
        assertThrows(IllegalArgumentException.class, () -> adam.loadStateDict(stepsWithoutMoments));
    }
}
