package dev.nabla.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.diagnostics.Diagnosis.Finding;
import dev.nabla.diagnostics.Diagnosis.Verdict;
import dev.nabla.diagnostics.MonitorRecords.TimeStats;
import dev.nabla.nn.RecurrentClassifier;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.nn.RecurrentSpec.Kind;
import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientThroughTimeTest {
    private static final int STEPS = 20;
    private static final int FEATURES = 6;

    private static RecurrentClassifier model(Kind kind, double forgetBias) {
        return new RecurrentSpec(kind, STEPS, FEATURES, List.of(16), 3, Activation.TANH, forgetBias).build(new Rng(4));
    }

    private static final Tensor X = Tensor.rand(new Rng(9), 8, STEPS * FEATURES);
    private static final int[] LABELS = {0, 1, 2, 0, 1, 2, 0, 1};

    @Test
    void stepNormsAreTheFrobeniusNormOfEachStepOverTheBatch() {
        // two samples, three steps of two features
        Tensor g = Tensor.of(new float[][] {{3, 4, 0, 0, 1, 0}, {0, 0, 0, 2, 0, 0}});
        assertArrayEquals(new double[] {5, 2, 1}, GradientThroughTime.stepNorms(g, 3), 0);
        assertArrayEquals(new double[] {5, 2, 1}, GradientThroughTime.stepNorms(g.reshape(2, 3, 2), 3), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientThroughTime.stepNorms(g, 4));
        assertTrue(e.getMessage().contains("does not split into 4 time steps"), e.getMessage());
    }

    @Test
    void measureReadsTheInputGradientOfOnePassAndLeavesNoParameterGradient() {
        RecurrentClassifier model = model(Kind.LSTM, Double.NaN);
        GradientThroughTime profile = GradientThroughTime.measure(model, X, LABELS, STEPS);

        Tensor input = X.copy().requiresGrad(true);
        Tensor loss = Functional.crossEntropy(model.call(input), LABELS);
        loss.backward();
        assertEquals(loss.item(), profile.loss(), 1e-6);
        assertArrayEquals(GradientThroughTime.stepNorms(input.grad(), STEPS), profile.steps(), 1e-12);
        model.zeroGrad();
        GradientThroughTime.measure(model, X, LABELS, STEPS);
        model.namedParameters().forEach((name, p) -> assertTrue(p.grad() == null || allZero(p.grad().data()), name));
        assertNull(X.grad(), "the caller's batch gets no gradient");
    }

    private static boolean allZero(float[] v) {
        for (float f : v) {
            if (f != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aForgetGateBiasOfOneLetsFarMoreGradientReachTheFirstStep() {
        double plain = GradientThroughTime.measure(model(Kind.LSTM, Double.NaN), X, LABELS, STEPS).ratioFirstLast();
        double biased = GradientThroughTime.measure(model(Kind.LSTM, 1), X, LABELS, STEPS).ratioFirstLast();
        double rnn = GradientThroughTime.measure(model(Kind.RNN, Double.NaN), X, LABELS, STEPS).ratioFirstLast();
        assertTrue(biased > 10 * plain, "forget bias 1: " + biased + ", plain LSTM: " + plain);
        assertTrue(rnn < 1, "a small RNN's gradient shrinks going back: " + rnn);
    }

    @Test
    void theVerdictFollowsTheLayerThresholds() {
        double below = Diagnosis.VANISHING_RATIO / 10;
        Finding vanishing = profile(below).diagnose(Kind.RNN, Double.NaN);
        assertEquals(Verdict.VANISHING, vanishing.verdict());
        assertEquals(GradientThroughTime.SUBJECT, vanishing.subject());
        assertTrue(vanishing.fix().contains("LSTM"), vanishing.fix());
        assertTrue(profile(below).diagnose(Kind.LSTM, Double.NaN).fix().contains("forget-bias=1"));
        assertTrue(profile(below).diagnose(Kind.LSTM, 1).fix().contains("Raise the forget-gate bias"));

        assertEquals(Verdict.HEALTHY, profile(Diagnosis.VANISHING_RATIO * 10).diagnose(Kind.GRU, Double.NaN).verdict());
        Finding exploding = profile(Diagnosis.EXPLODING_GROWTH * 10).diagnose(Kind.RNN, Double.NaN);
        assertEquals(Verdict.EXPLODING, exploding.verdict());
        assertTrue(exploding.fix().contains("--clip-norm"), exploding.fix());
        assertEquals(Verdict.EXPLODING, new GradientThroughTime(1, new double[] {Double.NaN, 1})
                .diagnose(Kind.LSTM, Double.NaN).verdict());
    }

    @Test
    void perStepIsTheGeometricMeanFactorBetweenTheEnds() {
        GradientThroughTime p = new GradientThroughTime(0, new double[] {1e-3, 5, 1e-1, 1});
        assertEquals(1e-3, p.ratioFirstLast(), 1e-15);
        assertEquals(0.1, p.perStep(), 1e-12);
    }

    @Test
    void theMonitorRecordsTheProfileOfARecurrentModelOnItsRecordingSteps() {
        RecurrentClassifier model = model(Kind.GRU, Double.NaN);
        GradientThroughTime expected = GradientThroughTime.measure(model, X, LABELS, STEPS);
        try (GradientMonitor monitor = GradientMonitor.attach(model, 1)) {
            Tensor loss = Functional.crossEntropy(model.call(X), LABELS);
            model.zeroGrad();
            loss.backward();
            monitor.afterBackward(1);
            List<TimeStats> times = monitor.records().times();
            assertEquals(1, times.size());
            assertEquals(Kind.GRU, times.get(0).kind());
            assertArrayEquals(expected.steps(), times.get(0).profile().steps(), 1e-12);
            assertNull(X.grad(), "the monitor measures on a copy of the batch");
        }
    }

    private static GradientThroughTime profile(double ratio) {
        return new GradientThroughTime(0, new double[] {ratio, 0.5, 1});
    }
}
