package dev.nabla.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.Diagnosis.Finding;
import dev.nabla.diagnostics.Diagnosis.Verdict;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.GlobalNorm;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.NonFinite;
import dev.nabla.diagnostics.MonitorRecords.Parameter;
import dev.nabla.diagnostics.MonitorRecords.Phase;
import dev.nabla.ops.Activation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The diagnosis on records built by hand: every verdict is reached just past its threshold and not reached just
 * before it. The network is Linear(8→8) 0, activation 1, Linear(8→8) 2, activation 3, Linear(8→4) 4.
 */
class DiagnosisTest {
    private static final List<Parameter> PARAMETERS = List.of(
            new Parameter("0.weight", "0", "Linear", List.of(8, 8)), new Parameter("0.bias", "0", "Linear", List.of(8)),
            new Parameter("2.weight", "2", "Linear", List.of(8, 8)), new Parameter("2.bias", "2", "Linear", List.of(8)),
            new Parameter("4.weight", "4", "Linear", List.of(4, 8)), new Parameter("4.bias", "4", "Linear", List.of(4)));

    /** Records under construction. */
    private static final class Run {
        final Map<String, Activation> activations = new LinkedHashMap<>();
        final List<GradientStats> gradients = new ArrayList<>();
        final List<ActivationStats> outputs = new ArrayList<>();
        final List<GlobalNorm> norms = new ArrayList<>();
        NonFinite nonFinite;

        Run(Activation kind) {
            activations.put("1", kind);
            activations.put("3", kind);
        }

        /** Weight-gradient norms of layers 0, 2 and 4 at {@code step}, weights of norm 2, updates of ratio 1e-3. */
        Run grads(long step, double g0, double g2, double g4) {
            return grads(step, g0, g2, g4, 1e-3);
        }

        Run grads(long step, double g0, double g2, double g4, double update) {
            double[] g = {g0, g2, g4};
            for (int i = 0; i < 3; i++) {
                gradients.add(new GradientStats(step, (2 * i) + ".weight", g[i], 2.0, update, 0));
                gradients.add(new GradientStats(step, (2 * i) + ".bias", g[i] / 10, 0.1, update, 0));
            }
            norms.add(new GlobalNorm(step, Math.sqrt(g0 * g0 + g2 * g2 + g4 * g4), Math.sqrt(g0 * g0 + g2 * g2 + g4 * g4)));
            return this;
        }

        Run outputs(long step, double saturated, double dead) {
            for (String m : activations.keySet()) {
                outputs.add(new ActivationStats(step, m, activations.get(m), 0.5, 0.2,
                        activations.get(m) == Activation.RELU ? Double.NaN : saturated,
                        activations.get(m) == Activation.RELU ? dead : Double.NaN));
            }
            return this;
        }

        Diagnosis diagnose() {
            return Diagnosis.of(new MonitorRecords(10, PARAMETERS, activations, gradients, outputs, List.of(), norms,
                    nonFinite));
        }
    }

    private static Finding layer(Diagnosis d, String subject) {
        return d.layers().stream().filter(f -> f.subject().equals(subject)).findFirst().orElseThrow();
    }

    @Test
    void gradientsOfSimilarSizeAreHealthy() {
        Diagnosis d = new Run(Activation.TANH).grads(1, 0.5, 0.6, 1.0).outputs(1, 0.01, Double.NaN).diagnose();
        assertEquals(Verdict.HEALTHY, d.verdict());
        assertEquals(List.of(), d.problems());
        assertEquals(List.of("0.weight", "2.weight", "4.weight", "1", "3"),
                d.layers().stream().map(Finding::subject).toList(), "weights, then activations; no biases");
        assertTrue(d.network().evidence().contains("[0.5, 1]"), d.network().evidence());
    }

    @Test
    void aWeightGradientBelowAThousandthOfTheLargestIsVanishing() {
        Diagnosis below = new Run(Activation.SIGMOID).grads(1, 0.99e-3, 0.1, 1.0).diagnose();
        assertEquals(Verdict.VANISHING, below.verdict());
        assertEquals(Verdict.VANISHING, layer(below, "0.weight").verdict());
        assertEquals(Verdict.HEALTHY, layer(below, "2.weight").verdict());
        assertTrue(below.network().reason().startsWith("σ′ ≤ 1/4: through 2 sigmoid layers the gradient shrinks by up "
                + "to 4^−2 ≈ 0.0625"), below.network().reason());
        assertTrue(below.network().fix().contains("ReLU with He initialisation"), below.network().fix());
        assertTrue(below.network().evidence().contains("1 of 3 weights below 1e-3"), below.network().evidence());

        Diagnosis above = new Run(Activation.SIGMOID).grads(1, 1.01e-3, 0.1, 1.0).diagnose();
        assertEquals(Verdict.HEALTHY, above.verdict());
    }

    @Test
    void vanishingInAReluNetworkPointsToHeInitialisation() {
        Diagnosis d = new Run(Activation.RELU).grads(1, 1e-6, 1e-3, 1.0).diagnose();
        assertEquals(Verdict.VANISHING, d.verdict());
        assertTrue(d.network().reason().contains("He initialisation makes g = √2"), d.network().reason());
        // weights of norm 2 on 8 rows: gain 2/√8 = 0.707, times √½ = 0.5 per layer
        assertTrue(d.network().reason().contains("×0.5 per layer"), d.network().reason());
        assertTrue(d.network().fix().startsWith("Use He initialisation"), d.network().fix());
    }

    @Test
    void theLatestStepWithFiniteGradientsDecidesVanishing() {
        Diagnosis recovered = new Run(Activation.RELU).grads(1, 1e-6, 0.1, 1.0).grads(11, 0.2, 0.3, 1.0).diagnose();
        assertEquals(Verdict.HEALTHY, recovered.verdict());
    }

    @Test
    void aGradientNormAboveAThousandIsExploding() {
        Diagnosis above = new Run(Activation.RELU).grads(1, 1.01e3, 500, 600).diagnose();
        assertEquals(Verdict.EXPLODING, above.verdict());
        assertEquals(Verdict.EXPLODING, layer(above, "0.weight").verdict());
        assertTrue(layer(above, "0.weight").evidence().contains("above 1e3"), layer(above, "0.weight").evidence());
        assertTrue(above.network().fix().startsWith("Clip the gradient norm"), above.network().fix());

        Diagnosis below = new Run(Activation.RELU).grads(1, 0.5e3, 0.2e3, 0.3e3).diagnose();
        assertEquals(Verdict.HEALTHY, layer(below, "0.weight").verdict());
        assertEquals(Verdict.HEALTHY, below.verdict(), "global norm 0.62e3 is below the threshold too");
    }

    @Test
    void aGradientThatGrowsAThousandfoldTowardsTheInputIsExploding() {
        Diagnosis grown = new Run(Activation.RELU).grads(1, 1.01, 0.1, 1e-3).diagnose();
        assertEquals(Verdict.EXPLODING, layer(grown, "0.weight").verdict());
        assertTrue(layer(grown, "0.weight").evidence().contains("× that of the output layer's weight"));
        Diagnosis notYet = new Run(Activation.RELU).grads(1, 0.99, 0.1, 1e-3).diagnose();
        assertEquals(Verdict.HEALTHY, layer(notYet, "0.weight").verdict());
    }

    @Test
    void anUpdateLargerThanTheWeightIsExploding() {
        assertEquals(Verdict.EXPLODING, new Run(Activation.RELU).grads(1, 0.5, 0.6, 1.0, 1.01).diagnose().verdict());
        assertEquals(Verdict.HEALTHY, new Run(Activation.RELU).grads(1, 0.5, 0.6, 1.0, 0.99).diagnose().verdict());
    }

    @Test
    void aLargeGlobalNormIsExplodingEvenWhenClippingHidItFromTheLayers() {
        Run run = new Run(Activation.RELU).grads(1, 0.5, 0.6, 1.0);
        run.norms.set(0, new GlobalNorm(1, 2e3, 1.0));
        Diagnosis d = run.diagnose();
        assertEquals(Verdict.EXPLODING, d.verdict());
        assertTrue(d.network().evidence().contains("global gradient norm 2e3 at step 1 (above 1e3), clipped to 1"),
                d.network().evidence());
    }

    @Test
    void moreThanAQuarterOfSaturatedOutputsIsSaturated() {
        Diagnosis above = new Run(Activation.SIGMOID).grads(1, 0.5, 0.6, 1.0).outputs(1, 0.26, Double.NaN).diagnose();
        assertEquals(Verdict.SATURATED, above.verdict());
        assertEquals(Verdict.SATURATED, layer(above, "1").verdict());
        assertTrue(layer(above, "1").evidence().startsWith("26% of the sigmoid outputs saturated"));
        assertTrue(layer(above, "1").reason().contains("σ′ = σ(1 − σ) < 0.01"));
        assertTrue(above.network().evidence().startsWith("2 of 2 activation layers saturated"), above.network().evidence());
        Diagnosis below = new Run(Activation.SIGMOID).grads(1, 0.5, 0.6, 1.0).outputs(1, 0.24, Double.NaN).diagnose();
        assertEquals(Verdict.HEALTHY, below.verdict());
    }

    @Test
    void moreThanHalfTheUnitsDeadIsDead() {
        Diagnosis above = new Run(Activation.RELU).grads(1, 0.5, 0.6, 1.0).outputs(1, Double.NaN, 0.51).diagnose();
        assertEquals(Verdict.DEAD, above.verdict());
        assertTrue(layer(above, "3").fix().contains("LeakyReLU"));
        Diagnosis below = new Run(Activation.RELU).grads(1, 0.5, 0.6, 1.0).outputs(1, Double.NaN, 0.49).diagnose();
        assertEquals(Verdict.HEALTHY, below.verdict());
    }

    @Test
    void theLatestRecordedOutputsDecideSaturation() {
        Diagnosis d = new Run(Activation.TANH).grads(1, 0.5, 0.6, 1.0).outputs(1, 0.9, Double.NaN)
                .outputs(11, 0.1, Double.NaN).diagnose();
        assertEquals(Verdict.HEALTHY, d.verdict());
    }

    @Test
    void aNanIsPinnedOnTheModuleOrParameterWhereItAppeared() {
        Run forward = new Run(Activation.TANH).grads(1, 0.5, 0.6, 1.0);
        forward.nonFinite = new NonFinite(7, Phase.FORWARD, "3", "Tanh output: NaN at index 0");
        Diagnosis f = forward.diagnose();
        assertEquals(Verdict.NAN, f.verdict());
        assertEquals(Verdict.NAN, layer(f, "3").verdict());
        assertEquals(Verdict.HEALTHY, layer(f, "1").verdict());
        assertTrue(f.network().evidence().contains("step 7 in module 3"), f.network().evidence());

        Run backward = new Run(Activation.TANH).grads(1, 0.5, 0.6, 1.0);
        backward.nonFinite = new NonFinite(2, Phase.BACKWARD, "2.weight", "gradient NaN at index 5");
        Diagnosis b = backward.diagnose();
        assertEquals(Verdict.NAN, b.verdict());
        assertEquals(Verdict.NAN, layer(b, "2.weight").verdict());
        assertTrue(b.network().reason().contains("backward pass of step 2, first in parameter 2.weight"));
    }

    @Test
    void explodingExplainsTheNanThatFollows() {
        Run run = new Run(Activation.RELU).grads(1, 5e3, 6e3, 1e3);
        run.nonFinite = new NonFinite(2, Phase.FORWARD, "2", "Linear output: +∞ at index 3");
        Diagnosis d = run.diagnose();
        assertEquals(Verdict.EXPLODING, d.verdict());
        assertTrue(d.network().evidence().contains("then a non-finite output at step 2 in module 2"),
                d.network().evidence());
    }

    @Test
    void vanishingComesBeforeSaturationInTheNetworksVerdict() {
        Diagnosis d = new Run(Activation.SIGMOID).grads(1, 1e-9, 1e-4, 1.0).outputs(1, 0.9, Double.NaN).diagnose();
        assertEquals(Verdict.VANISHING, d.verdict());
        assertEquals(Verdict.SATURATED, layer(d, "1").verdict());
        assertEquals(4, d.problems().size());
    }

    @Test
    void nothingRecordedIsHealthySoFar() {
        Diagnosis d = new Run(Activation.RELU).diagnose();
        assertEquals(Verdict.HEALTHY, d.verdict());
        assertEquals("no gradients recorded yet", d.network().evidence());
    }
}
