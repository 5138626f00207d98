package dev.nabla.spark.costs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The model of a data-parallel step: its terms, and where synchronous training through the driver stops scaling. */
class StepModelTest {
    /** 1 MiB of weights (262,144 parameters), a pass of 64 ms on one machine that halves with each doubling. */
    private static final ModelCosts NET = new ModelCosts("net", 1 << 18, 64,
            Map.of(1, 64.0, 2, 32.0, 4, 16.0, 8, 8.0, 16, 4.0, 32, 2.0), 0.5, 1.0);
    private static final StepModel MODEL = new StepModel(new SparkCosts(10, 1, 2, 3), 1000, 0.1);

    @Test
    void aSynchronousStepIsTheJobTheExchangeThroughTheDriverAndTheShardsPass() {
        // job 10 + 1·N, broadcast 2·1, collect 3·N·1, network 2·N·1 MB / 1000 MB/s, add 0.5·N, pass, Adam 1
        assertEquals(10 + 4 + 2 + 12 + 8 + 2 + 16 + 1, MODEL.synchronousMs(NET, 4), 1e-9);
        assertEquals(16 + 1 + (10 + 4 + 2 + 12 + 8 + 2) / 8.0, MODEL.localSgdMs(NET, 4, 8), 1e-9);
        assertEquals(16 + 2 * 3.0 / 4 + 2 * 3 * 0.1 + 1, MODEL.ringMs(NET, 4), 1e-9);
    }

    @Test
    void synchronousTrainingIsFastestWhereTheShrinkingPassMeetsTheGrowingExchange() {
        // T(N) = 12 + 6.5·N + 64/N + 1: least at N = 4 among the powers of two (√(64/6.5) ≈ 3.1)
        List<String> table = MODEL.table(NET, 8);
        String last = table.getLast();
        assertTrue(last.contains("fastest at N = 4"), String.join("\n", table));
        assertEquals(2 + 6 + 1, table.size(), "a header, the columns' names, six rows and the verdict");
    }
}
