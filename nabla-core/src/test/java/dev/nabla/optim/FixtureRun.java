package dev.nabla.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nabla.testing.Fixtures;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Replays one case of {@code fixtures/optim.json} (written by {@code tools/fixtures/optim.py}): the same starting
 * parameters, the same gradient per step ({@code null}: no gradient that step), the same learning rate per
 * step, and compares the parameters with PyTorch's after every step.
 *
 * <p>Tolerance: {@code |actual − expected| <= ABS + REL·|expected|} per element. The implementations repeat
 * PyTorch's float32 operations in PyTorch's order (fused multiply-adds where its AVX2 kernels fuse), and on an
 * x86-64 machine with FMA every value of every case is bitwise equal to PyTorch's (checked with ABS = REL = 0).
 * The bound leaves room for a last-ulp difference in {@code pow} or in PyTorch's own FMA use on other CPUs, and
 * is still far below what a wrong rule produces (e.g. AMSGrad off moves parameters by ~3e-5 after one step here).
 */
final class FixtureRun {
    static final double ABS = 1e-7;
    static final double REL = 1e-6;

    private static final Fixtures FIXTURES = Fixtures.load("optim.json");

    private FixtureRun() {
    }

    /** Names of the cases whose name starts with {@code prefix}, e.g. {@code "sgd_"}. */
    static Stream<String> cases(String prefix) {
        return StreamSupport.stream(FIXTURES.names().spliterator(), false).filter(n -> n.startsWith(prefix));
    }

    /** The {@code options} object of a case, with PyTorch's names ({@code weight_decay}, {@code betas}, …). */
    static JsonNode options(String name) {
        return FIXTURES.get(name).get("options");
    }

    /**
     * Runs case {@code name} with the optimizer {@code make} builds from its parameters, asserting after each
     * step; returns the optimizer.
     */
    static Optimizer replay(String name, Function<List<Tensor>, Optimizer> make) {
        JsonNode c = FIXTURES.get(name);
        List<Tensor> params = new ArrayList<>();
        for (JsonNode p : c.get("params")) {
            params.add(Fixtures.tensor(p).requiresGrad(true));
        }
        Optimizer opt = make.apply(params);
        int step = 0;
        for (JsonNode s : c.get("steps")) {
            opt.setLr(s.get("lr").asDouble());
            JsonNode grads = s.get("grads");
            for (int i = 0; i < params.size(); i++) {
                JsonNode g = grads.get(i);
                params.get(i).setGrad(g.isNull() ? null : Fixtures.tensor(g));
            }
            opt.step();
            JsonNode expected = s.get("params");
            for (int i = 0; i < params.size(); i++) {
                assertClose(Fixtures.tensor(expected.get(i)), params.get(i), name + " step " + step + " param " + i);
            }
            step++;
        }
        return opt;
    }

    static void assertClose(Tensor expected, Tensor actual, String where) {
        assertEquals(expected.shape(), actual.shape(), where);
        float[] e = expected.data();
        float[] a = actual.data();
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs((double) a[i] - e[i]);
            if (!(err <= ABS + REL * Math.abs(e[i]))) {
                fail(where + " element " + i + ": expected " + e[i] + " (PyTorch) but got " + a[i] + ", error " + err
                        + " > " + ABS + " + " + REL + "·|expected|");
            }
        }
    }
}
