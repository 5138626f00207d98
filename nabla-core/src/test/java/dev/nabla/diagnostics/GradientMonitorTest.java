package dev.nabla.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Digits;
import dev.nabla.diagnostics.MonitorRecords.ActivationStats;
import dev.nabla.diagnostics.MonitorRecords.GradientStats;
import dev.nabla.diagnostics.MonitorRecords.Phase;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.nn.Tanh;
import dev.nabla.ops.Activation;
import dev.nabla.ops.Functional;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import dev.nabla.testing.PoisonedBackward;
import dev.nabla.train.StepMetrics;
import dev.nabla.train.Trainer;
import dev.nabla.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GradientMonitorTest {
    private final Linear first = new Linear(4, 3, new Rng(1));
    private final Linear second = new Linear(3, 2, new Rng(2));
    private final Sequential model = new Sequential(first, new Sigmoid(), second);
    private final Tensor x = Tensor.of(new float[][] {{1, 2, 3, 4}, {-1, 0, 2, 1}});
    private final int[] y = {0, 1};

    /** One training step, driven by hand as the trainer would: forward, backward, listener, step, listener. */
    private void step(GradientMonitor monitor, SGD sgd, long globalStep) {
        Tensor loss = Functional.crossEntropy(model.call(x), y);
        sgd.zeroGrad();
        loss.backward();
        monitor.afterBackward(globalStep);
        sgd.step();
        monitor.onStep(new StepMetrics(1, (int) globalStep, 10, globalStep, loss.item(), 2, 0.1, 3.0, 2.0));
    }

    private static double norm(float[] v) {
        double sq = 0;
        for (float f : v) {
            sq += (double) f * f;
        }
        return Math.sqrt(sq);
    }

    @Test
    void recordsNormsUpdateRatioAndZeroFractionOnEveryKthStep() {
        SGD sgd = new SGD(model.parameters(), 0.5);
        try (GradientMonitor monitor = GradientMonitor.attach(model, 2)) {
            float[] weightBefore = first.weight().data().clone();
            Tensor loss = Functional.crossEntropy(model.call(x), y);
            sgd.zeroGrad();
            loss.backward();
            monitor.afterBackward(1);
            double gradNorm = norm(first.weight().grad().data());
            sgd.step();
            monitor.onStep(new StepMetrics(1, 1, 10, 1, loss.item(), 2, 0.1, 3.0, 2.0));
            step(monitor, sgd, 2);
            step(monitor, sgd, 3);

            MonitorRecords r = monitor.records();
            assertEquals(2, r.every());
            assertEquals(List.of(1L, 3L), r.gradients().stream().map(GradientStats::step).distinct().toList());
            GradientStats w = r.gradients().get(0);
            assertEquals("0.weight", w.name());
            assertEquals(gradNorm, w.gradNorm(), 1e-6);
            assertEquals(norm(weightBefore), w.paramNorm(), 1e-6);
            // SGD: Δw = −lr·g, so ‖Δw‖/‖w‖ = lr·‖g‖/‖w‖
            assertEquals(0.5 * gradNorm / norm(weightBefore), w.updateRatio(), 1e-5);
            assertEquals(0, w.zeroGradFraction());
            assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias"),
                    r.parameters().stream().map(MonitorRecords.Parameter::name).toList());
            assertEquals("Linear", r.parameters().get(0).moduleType());
            assertEquals(List.of(3, 4), r.parameters().get(0).shape());
            assertEquals(Map.of("1", Activation.SIGMOID), r.activations());
            assertEquals(2, r.outputs().size(), "the sigmoid on steps 1 and 3");
            assertEquals(3, r.norms().size(), "the global norms of every step");
            assertEquals(3.0, r.norms().get(2).before());
            assertEquals(2.0, r.norms().get(2).after());
            assertNull(r.nonFinite());
        }
    }

    @Test
    void aZeroGradientCountsAsZeroEntries() {
        // a ReLU that is off for the whole batch passes no gradient to the weight row before it
        Linear layer = new Linear(2, 2, new Rng(1));
        layer.weight().data()[0] = -5;
        layer.weight().data()[1] = -5;
        layer.bias().data()[0] = -5;
        layer.weight().data()[2] = 1;   // unit 1 is on for every sample
        layer.weight().data()[3] = 1;
        layer.bias().data()[1] = 1;
        Sequential net = new Sequential(layer, new ReLU(), new Linear(2, 2, new Rng(2)));
        try (GradientMonitor monitor = GradientMonitor.attach(net, 1)) {
            Tensor loss = Functional.crossEntropy(net.call(Tensor.of(new float[][] {{1, 1}, {2, 0.5f}})), new int[] {0, 1});
            loss.backward();
            monitor.afterBackward(1);
            MonitorRecords r = monitor.records();
            assertEquals(0.5, r.gradients().get(0).zeroGradFraction(), "row 0 of the weight: 2 of 4 entries");
            assertEquals(0.5, r.gradients().get(1).zeroGradFraction(), "bias 0: 1 of 2 entries");
            ActivationStats relu = r.outputs().get(0);
            assertEquals(Activation.RELU, relu.kind());
            assertEquals(0.5, relu.deadFraction(), "unit 0 is 0 for both samples");
            assertTrue(Double.isNaN(relu.saturatedFraction()));
        }
    }

    @Test
    void activationStatisticsCountSaturatedOutputs() {
        float[] sigmoid = {0.001f, 0.5f, 0.995f, 0.2f};
        ActivationStats s = ActivationMath.stats(1, "1", Activation.SIGMOID, sigmoid, 2, 2);
        assertEquals(0.5, s.saturatedFraction());
        assertEquals((0.001 + 0.5 + 0.995 + 0.2) / 4, s.mean(), 1e-6);
        assertTrue(Double.isNaN(s.deadFraction()));
        ActivationStats t = ActivationMath.stats(1, "1", Activation.TANH, new float[] {-0.995f, 0.98f, 0.999f, 0},
                1, 4);
        assertEquals(0.5, t.saturatedFraction());
        assertEquals(0, ActivationMath.stats(1, "1", Activation.TANH, new float[] {3, 3}, 2, 1).std(), 1e-12);
        // ReLU output [3 samples, 2 units]: unit 1 is 0 for every sample, unit 0 only for some
        assertEquals(0.5, ActivationMath.deadFraction(new float[] {0, 0, 1, 0, 0, 0}, 3, 2));
        // feature maps [2 samples, 3 channels, 2 positions]: channel 0 lives at one position of one sample, channel 2
        // is 0 everywhere, channel 1 lives everywhere
        assertEquals(1 / 3.0, ActivationMath.deadFraction(new float[] {0, 0, 1, 1, 0, 0, 0, 2, 1, 1, 0, 0}, 2, 3));
    }

    @Test
    void aConvolutionalNetworksDeadUnitsAreWholeChannels() {
        Sequential net = new Sequential(new dev.nabla.nn.Conv2d(1, 2, 1), new ReLU());
        net.get(0).parameters().get(0).data()[0] = 1;    // channel 0 passes the input through
        net.get(0).parameters().get(0).data()[1] = -1;   // channel 1 negates it: dead for a positive input
        net.get(0).parameters().get(1).data()[0] = 0;
        net.get(0).parameters().get(1).data()[1] = 0;
        try (GradientMonitor monitor = GradientMonitor.attach(net, 1)) {
            Functional.sum(net.call(Tensor.of(new float[] {1, 2, 3, 4, 0, 1, 0, 1}, 2, 1, 2, 2))).backward();
            monitor.afterBackward(1);
            assertEquals(0.5, monitor.records().outputs().get(0).deadFraction(), "channel 1 of 2");
        }
    }

    @Test
    void evaluationPassesAreNotRecorded() {
        try (GradientMonitor monitor = GradientMonitor.attach(model, 1)) {
            model.eval();
            try (var scope = NoGrad.enter()) {
                model.call(x);
            }
            assertEquals(0, monitor.records().outputs().size());
        }
    }

    @Test
    void closeRemovesEveryHook() {
        GradientMonitor monitor = GradientMonitor.attach(model, 1);
        assertEquals(0, first.hookCount(), "the Linear that runs with the sigmoid as one op needs no hook");
        assertEquals(1, model.get(1).hookCount());
        assertEquals(1, second.hookCount());
        monitor.close();
        model.namedModules().values().forEach(m -> assertEquals(0, m.hookCount()));
        assertThrows(IllegalArgumentException.class, () -> GradientMonitor.attach(model, 0));
    }

    /** The model's parameters after a few steps of training on digits, with or without a monitor attached. */
    private static List<float[]> trained(Activation activation, boolean monitored, List<String> activationOps) {
        Sequential net = new MlpSpec(64, List.of(32, 16), 10, activation, Init.Scheme.DEFAULT).build(new Rng(3));
        net.get(1).addOutputHook((module, out) -> activationOps.add(out.gradFn().name()));
        Trainer.Builder trainer = Trainer.builder(net, new SGD(net.parameters(), 0.1)).batchSize(32).maxSteps(12);
        if (!monitored) {
            trainer.build().fit(Digits.train(), null);
        } else {
            try (GradientMonitor monitor = GradientMonitor.attach(net, 5)) {
                trainer.listener(monitor).build().fit(Digits.train(), null);
                assertEquals(2, monitor.records().activations().size());
                assertEquals(3 * 2, monitor.records().outputs().size(), "steps 1, 6, 11 of both activations");
            }
        }
        return net.parameters().stream().map(p -> p.data().clone()).toList();
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "SIGMOID", "TANH"})
    void aMonitoredRunTakesTheFusedPathWithTheSameBits(Activation activation) {
        List<String> monitoredOps = new ArrayList<>();
        List<String> plainOps = new ArrayList<>();
        List<float[]> monitored = trained(activation, true, monitoredOps);
        List<float[]> plain = trained(activation, false, plainOps);
        for (int i = 0; i < plain.size(); i++) {
            assertArrayEquals(plain.get(i), monitored.get(i), "parameter " + i);
        }
        assertEquals(List.of("Affine"), monitoredOps.stream().distinct().toList(),
                "the activation's output comes from the fused Linear + activation op");
        assertEquals(monitoredOps, plainOps);
    }

    @Test
    void aNanMadeByALinearThatRunsWithItsActivationIsReportedAsTheLinears() {
        Sequential net = new Sequential(new Linear(64, 8, new Rng(1)), new ReLU(), new Linear(8, 10, new Rng(2)));
        ((Linear) net.get(0)).weight().data()[70] = Float.NaN;   // row 1: output feature 1 of every sample
        try (GradientMonitor monitor = GradientMonitor.attach(net, 5)) {
            assertThrows(TrainingDivergedException.class, () -> Trainer.builder(net, new SGD(net.parameters(), 0.1))
                    .listener(monitor).build().fit(Digits.train(), null));
            MonitorRecords.NonFinite nf = monitor.records().nonFinite();
            assertEquals(Phase.FORWARD, nf.phase());
            assertEquals("0", nf.where());
            assertEquals("Linear output: NaN at index 1", nf.detail());
        }
    }

    @Test
    void aNanInTheForwardPassIsCaughtInTheFirstModuleWhoseOutputHoldsIt() {
        Sequential net = new Sequential(new Linear(64, 8, new Rng(1)), new Tanh(), new Linear(8, 10, new Rng(2)));
        ((Linear) net.get(2)).weight().data()[3] = Float.NaN;
        try (GradientMonitor monitor = GradientMonitor.attach(net, 5)) {
            assertThrows(TrainingDivergedException.class, () -> Trainer.builder(net, new SGD(net.parameters(), 0.1))
                    .listener(monitor).build().fit(Digits.train(), null));
            MonitorRecords.NonFinite nf = monitor.records().nonFinite();
            assertEquals(Phase.FORWARD, nf.phase());
            assertEquals(1, nf.step());
            assertEquals("2", nf.where());
            assertEquals("module 2", nf.place());
            assertTrue(nf.detail().startsWith("Linear output: NaN"), nf.detail());
        }
    }

    @Test
    void aNanInTheBackwardPassNamesTheParameterNearestTheOutput() {
        Sequential net = new Sequential(new Linear(64, 16, new Rng(1)), new ReLU(), new Linear(16, 16, new Rng(2)),
                new PoisonedBackward(3), new ReLU(), new Linear(16, 10, new Rng(3)));
        try (GradientMonitor monitor = GradientMonitor.attach(net, 10)) {
            TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> Trainer.builder(net,
                    new SGD(net.parameters(), 0.1)).listener(monitor).build().fit(Digits.train(), null));
            MonitorRecords.NonFinite nf = monitor.records().nonFinite();
            assertEquals(Phase.BACKWARD, nf.phase());
            assertEquals(3, nf.step());
            assertEquals(3, e.globalStep());
            assertEquals("2.bias", nf.where(), "the last parameter before the poisoned layer, in model order");
            assertEquals(2, e.history().steps(), "the steps completed before");
        }
    }

    @Test
    void batchNormRunningStatisticsAreRecorded() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Sequential net = new Sequential(first, bn, new ReLU(), second);
        SGD sgd = new SGD(net.parameters(), 0.1);
        try (GradientMonitor monitor = GradientMonitor.attach(net, 1)) {
            Tensor loss = Functional.crossEntropy(net.call(x), y);
            loss.backward();
            monitor.afterBackward(1);
            sgd.step();
            monitor.onStep(new StepMetrics(1, 1, 1, 1, loss.item(), 2, 0.1, 1, 1));
            MonitorRecords.BatchNormStats s = monitor.records().batchNorms().get(0);
            assertEquals("1", s.module());
            double mean = 0;
            for (float v : bn.runningMean().data()) {
                mean += v / 3.0;
            }
            assertEquals(mean, s.meanOfMean(), 1e-7);
            assertTrue(s.meanOfVar() > 0);
        }
    }
}
