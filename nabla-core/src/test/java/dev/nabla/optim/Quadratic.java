package dev.nabla.optim;

import static dev.nabla.ops.Functional.add;
import static dev.nabla.ops.Functional.mul;
import static dev.nabla.ops.Functional.sub;
import static dev.nabla.ops.Functional.sum;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.function.Function;

/**
 * An ill-conditioned quadratic to minimise: f(x, y) = Σ a ⊙ (x − c)² + Σ (y − d)², curvature from 0.5 to 10,
 * minimum 0 at x = c, y = d. Gradients come from the autograd tape, so a test runs the usual
 * zeroGrad / backward / step loop.
 */
final class Quadratic {
    private static final float[] A = {0.5f, 1f, 4f, 10f};
    private static final float[] C = {1f, -2f, 0.5f, 3f};
    private static final float[] D = {-1f, 2f};

    private Quadratic() {
    }

    /** Runs {@code steps} steps from x = 0, y = 0 and asserts that both end within 1e-3 of the minimum. */
    static void assertConverges(Function<List<Tensor>, Optimizer> make, int steps) {
        assertConverges(make, steps, 1e-3);
    }

    /** Runs {@code steps} steps from x = 0, y = 0 and asserts that both end within {@code tol} of the minimum. */
    static void assertConverges(Function<List<Tensor>, Optimizer> make, int steps, double tol) {
        Tensor x = Tensor.zeros(4).requiresGrad(true);
        Tensor y = Tensor.zeros(2).requiresGrad(true);
        Tensor a = Tensor.of(A);
        Tensor c = Tensor.of(C);
        Tensor d = Tensor.of(D);
        Optimizer opt = make.apply(List.of(x, y));
        float first = Float.NaN;
        float loss = Float.NaN;
        for (int i = 0; i < steps; i++) {
            Tensor dx = sub(x, c);
            Tensor dy = sub(y, d);
            Tensor l = sum(mul(a, mul(dx, dx)));
            Tensor ly = sum(mul(dy, dy));
            Tensor total = add(l, ly);
            loss = total.item();
            if (i == 0) {
                first = loss;
            }
            opt.zeroGrad();
            total.backward();
            opt.step();
        }
        double dist = 0;
        for (int i = 0; i < C.length; i++) {
            dist = Math.max(dist, Math.abs(x.data()[i] - C[i]));
        }
        for (int i = 0; i < D.length; i++) {
            dist = Math.max(dist, Math.abs(y.data()[i] - D[i]));
        }
        assertTrue(dist < tol, opt + " after " + steps + " steps: max |θ − θ*| = " + dist + ", loss " + first
                + " → " + loss + ", x = " + x + ", y = " + y);
    }
}
