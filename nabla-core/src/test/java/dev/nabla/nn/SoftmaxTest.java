package dev.nabla.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Shape;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.Fixtures;
import dev.nabla.testing.OpCheck;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The softmax and log-softmax layers, and {@link Softmax#jacobian}: against
 * {@code torch.autograd.functional.jacobian} ({@code fixtures/jacobian.json}, from {@code tools/fixtures/losses.py}),
 * and its properties: symmetric, rows summing to 0, and J·g equal to the backward pass.
 */
class SoftmaxTest {
    private static final Fixtures JACOBIANS = Fixtures.load("jacobian.json");

    static Stream<String> jacobianCases() {
        return StreamSupport.stream(JACOBIANS.names().spliterator(), false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jacobianCases")
    void jacobianMatchesPyTorch(String name) {
        Tensor x = Fixtures.tensor(JACOBIANS.get(name).get("x"));
        Tensor j = Softmax.jacobian(Functional.softmax(x));
        OpCheck.assertClose(Fixtures.tensor(JACOBIANS.get(name).get("jacobian")), j, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jacobianCases")
    void jacobianIsSymmetricWithRowsSummingToZero(String name) {
        Tensor y = Functional.softmax(Fixtures.tensor(JACOBIANS.get(name).get("x")));
        int c = y.dim(-1);
        float[] j = Softmax.jacobian(y).data();
        for (int block = 0; block < y.size() / c; block++) {
            int base = block * c * c;
            for (int a = 0; a < c; a++) {
                double rowSum = 0;
                for (int b = 0; b < c; b++) {
                    // y_a·(0 − y_b) and y_b·(0 − y_a): the same value (0 and −0 where a probability is 0)
                    assertEquals(j[base + a * c + b], j[base + b * c + a], 0f, name + ": J[" + a + ", " + b + "]");
                    rowSum += j[base + a * c + b];
                }
                assertEquals(0, rowSum, 1e-6, name + ": row " + a + " of block " + block);
            }
        }
    }

    /** The backward pass computes Jᵀ·g = J·g without forming J; both must agree. */
    @Test
    void jacobianTimesUpstreamGradientEqualsTheBackwardPass() {
        Rng rng = new Rng(7);
        for (int[] dims : new int[][] {{9}, {4, 6}, {3, 17}, {2, 33}}) {
            Tensor x = Tensor.randn(rng, dims).requiresGrad(true);
            Tensor y = Functional.softmax(x);
            Tensor g = Tensor.randn(rng, dims);
            y.backward(g);
            int c = dims[dims.length - 1];
            float[] j = Softmax.jacobian(y.detach()).data();
            for (int row = 0; row < y.size() / c; row++) {
                for (int a = 0; a < c; a++) {
                    double jg = 0;
                    for (int b = 0; b < c; b++) {
                        jg += (double) j[(row * c + a) * c + b] * g.data()[row * c + b];
                    }
                    assertEquals(jg, x.grad().data()[row * c + a], 1e-6,
                            Shape.of(dims) + ": row " + row + ", entry " + a);
                }
            }
        }
    }

    @Test
    void jacobianShapes() {
        assertEquals(Shape.of(5, 5), Softmax.jacobian(Functional.softmax(Tensor.zeros(5))).shape());
        assertEquals(Shape.of(3, 4, 4), Softmax.jacobian(Functional.softmax(Tensor.zeros(3, 4))).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Softmax.jacobian(Tensor.zeros(2, 3, 4)));
        assertEquals("softmax Jacobian needs probabilities [C] or [N, C], got [2, 3, 4]", e.getMessage());
    }

    @Test
    void layersApplyTheirFunctionalFormAlongTheirDimension() {
        Tensor x = Tensor.randn(new Rng(3), 2, 3, 4);
        for (int dim : new int[] {0, 1, 2, -1}) {
            assertEquals(Functional.softmax(x, dim).toString(), new Softmax(dim).forward(x).toString());
            assertEquals(Functional.logSoftmax(x, dim).toString(), new LogSoftmax(dim).forward(x).toString());
        }
        assertEquals(Functional.softmax(x, -1).toString(), new Softmax().forward(x).toString());
        assertEquals(Functional.logSoftmax(x, -1).toString(), new LogSoftmax().forward(x).toString());
    }
}
