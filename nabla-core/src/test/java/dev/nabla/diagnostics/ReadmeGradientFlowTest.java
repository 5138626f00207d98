package dev.nabla.diagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nabla.data.Digits;
import dev.nabla.nn.HookHandle;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Sequential;
import dev.nabla.ops.Activation;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.train.Trainer;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/** The README's gradient-flow example, verbatim, compiles and finds the vanishing gradient. */
class ReadmeGradientFlowTest {
    @Test
    void readmeExampleDiagnosesTheDeepSigmoidNetwork() {
        Diagnosis seen;
        Sequential model = new MlpSpec(64, Collections.nCopies(20, 256), 10, Activation.SIGMOID, Init.Scheme.DEFAULT).build(new Rng(0));
        try (GradientMonitor monitor = GradientMonitor.attach(model, 10)) {       // hooks + a TrainingListener
            Trainer.builder(model, new SGD(model.parameters(), 0.01))
                    .epochs(1)
                    .clipGradNorm(1.0)                                            // or clipGradValue(…)
                    .listener(monitor)
                    .build().fit(Digits.train(), Digits.test());
            Diagnosis diagnosis = Diagnosis.of(monitor.records());
            System.out.println(diagnosis);            // verdict, evidence, why, fix; then each layer's problem
            seen = diagnosis;
        }
        HookHandle h = model.get(1).addForwardHook((module, in, out) -> System.out.println(out.shape()));
        h.remove();
        assertEquals(Diagnosis.Verdict.VANISHING, seen.verdict());
        assertEquals(0, model.get(1).hookCount());
    }
}
