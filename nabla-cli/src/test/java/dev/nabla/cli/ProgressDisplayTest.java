package dev.nabla.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.train.EpochMetrics;
import dev.nabla.train.StepMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressDisplayTest {
    @Test
    void withoutATerminalPrintsOneLinePerEpochAndNoBar() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), false);
        display.onStart(2, 3, 300);
        for (int step = 1; step <= 3; step++) {
            display.onStep(new StepMetrics(1, step, 3, step, 0.5f, step * 100L, step * 0.1));
        }
        display.onEpochEnd(new EpochMetrics(1, 0.5, 0.8, 0.4, 0.85, 0.3, 1000, 0.1));
        String out = text.toString();
        assertEquals(1, out.strip().split("\n").length, out);
        assertFalse(out.contains("\r"), out);
        assertTrue(out.contains("epoch 1/2") && out.contains("acc 0.8500"), out);
    }

    @Test
    void onATerminalDrawsABarWithLossThroughputAndTimeLeft() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true);
        display.onStart(1, 4, 400);
        display.onStep(new StepMetrics(1, 4, 4, 4, 0.25f, 400, 2.0));
        String out = text.toString();
        assertTrue(out.startsWith("\r"), out);
        assertTrue(out.contains("4/4") && out.contains("loss 0.2500") && out.contains("200 samples/s")
                && out.contains("ETA 0:00"), out);
    }

    @Test
    void aWarningOnATerminalClearsTheLiveLineAndStandsOnItsOwn() {
        StringWriter text = new StringWriter();
        ProgressDisplay display = new ProgressDisplay(new PrintWriter(text), true);
        display.onStart(1, 4, 400);
        display.onStep(new StepMetrics(1, 1, 4, 1, 0.25f, 100, 2.0));
        int drawn = text.toString().length();
        display.message("warning  step 1: vanishing gradients");
        String after = text.toString().substring(drawn);
        assertTrue(after.matches("\\r +\\rwarning  step 1: vanishing gradients\\R"), after.replace("\r", "<CR>"));
    }

    @Test
    void durationsReadAsClockTime() {
        assertEquals("0:05", ProgressDisplay.duration(5));
        assertEquals("2:03", ProgressDisplay.duration(123));
        assertEquals("1:00:01", ProgressDisplay.duration(3601));
    }
}
