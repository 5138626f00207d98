package dev.nabla.cli;

import dev.nabla.train.EpochMetrics;
import dev.nabla.train.StepMetrics;
import dev.nabla.train.TrainingListener;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training as it runs. On a terminal: one live line redrawn in place (epoch, a bar, step, loss, samples/s,
 * time left), replaced by a summary line per epoch. Elsewhere (a pipe, a log file, CI) only the summary line per
 * epoch, so logs stay readable.
 */
final class ProgressDisplay implements TrainingListener {
    private static final int BAR_WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean live;
    private int epochs;
    private int stepsPerEpoch;
    private long started;
    private long lastDraw;
    private int lastWidth;
    private StepMetrics last;
    private boolean stopped;

    ProgressDisplay(PrintWriter out, boolean live) {
        this.out = out;
        this.live = live;
    }

    /** True when standard output is an interactive terminal. */
    static boolean isTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void onStart(int epochs, int stepsPerEpoch, int trainSamples) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        this.started = System.nanoTime();
    }

    @Override
    public synchronized void onStep(StepMetrics s) {
        last = s;
        if (!live || stopped) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && s.step() < s.stepsPerEpoch()) {
            return;
        }
        lastDraw = now;
        long totalSteps = (long) epochs * stepsPerEpoch;
        double elapsed = (now - started) / 1e9;
        double eta = elapsed / s.globalStep() * (totalSteps - s.globalStep());
        int filled = (int) ((long) BAR_WIDTH * s.step() / s.stepsPerEpoch());
        String line = String.format(Locale.ROOT, "epoch %s [%s%s] %d/%d  loss %.4f  %,.0f samples/s  ETA %s",
                epochLabel(s.epoch()), "█".repeat(filled), "·".repeat(BAR_WIDTH - filled), s.step(), s.stepsPerEpoch(),
                s.loss(), s.samplesPerSecond(), duration(eta));
        draw(line);
    }

    @Override
    public synchronized void onEpochEnd(EpochMetrics e) {
        if (stopped) {
            return;
        }
        if (live) {
            draw("");
            out.print('\r');
        }
        boolean validated = !Double.isNaN(e.valLoss());
        out.println(String.format(Locale.ROOT, "epoch %s  train loss %.4f%s  %s loss %.4f%s  %.1f s  %,.0f samples/s",
                epochLabel(e.epoch()), e.trainLoss(), accuracy(e.trainAccuracy()), validated ? "val" : "test",
                validated ? e.valLoss() : e.testLoss(), accuracy(validated ? e.valAccuracy() : e.testAccuracy()),
                e.seconds(), e.samplesPerSecond()));
        out.flush();
    }

    /** "  acc 0.9512", or nothing for a regression model, which has no accuracy. */
    private static String accuracy(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "  acc %.4f", value);
    }

    /** Prints a line of its own (a warning), clearing the live line first so that the two do not mix. */
    synchronized void message(String line) {
        if (stopped) {
            return;
        }
        if (live) {
            draw("");
            out.print('\r');
            lastWidth = 0;
        }
        out.println(line);
        out.flush();
    }

    /**
     * Ends the display when the run is stopped from outside (Ctrl-C): finishes the live line, says where training
     * stopped and what that means, and draws nothing after.
     *
     * @param saved what was saved of the run, for the last words
     */
    synchronized void interrupted(String saved) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (live) {
            draw("");
            out.print('\r');
        }
        out.println(last == null ? "interrupted before the first step; " + saved : String.format(Locale.ROOT,
                "interrupted in epoch %d of %d, after step %d of %d (%,d steps in all); %s", last.epoch(), epochs,
                last.step(), last.stepsPerEpoch(), last.globalStep(), saved));
        out.flush();
    }

    private String epochLabel(int epoch) {
        String total = Integer.toString(epochs);
        return String.format(Locale.ROOT, "%" + total.length() + "d/%s", epoch, total);
    }

    private void draw(String line) {
        int pad = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
