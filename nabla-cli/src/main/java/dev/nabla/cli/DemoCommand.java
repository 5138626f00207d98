package dev.nabla.cli;

import dev.nabla.autograd.NoGrad;
import dev.nabla.cli.values.Converters;
import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nabla demo}: trains a small network on the bundled handwritten digits (a few seconds) and shows some
 * test images with what the network thinks they are.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a 64-256-10 ReLU network on the bundled 8x8 handwritten digits for 20 epochs, then "
                + "show test images with the network's predictions.",
            "Same as: nabla train " + DemoCommand.TRAIN_ARGS + " --seed " + DemoCommand.SEED + ", plus the pictures."})
public class DemoCommand implements Callable<Integer> {
    /** The training the demo runs, as {@code nabla train} flags; every other flag keeps train's default. */
    static final String TRAIN_ARGS = "--data digits --hidden 256 --epochs 20";
    /** The demo's seed. */
    static final long SEED = 1;
    private static final String SHADES = " .:-=+*#%@";
    /** How many images fit side by side in 100 columns. */
    private static final int PER_ROW = 4;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", paramLabel = "N", converter = Converters.Seed.class, description = "Seed for the run. Default: ${DEFAULT-VALUE}.")
    long seed = SEED;

    @Option(names = "--samples", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Test images to show, " + PER_ROW + " to a row (at most the 360 of the test split). "
                    + "Default: ${DEFAULT-VALUE}.")
    int samples = PER_ROW;

    @Mixin
    ThreadsOption threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Training a classifier for handwritten digits (UCI, 1797 images of 8x8 pixels).");
        TrainCommand train = new TrainCommand();
        CommandLine trainLine = Main.commandLine(train);
        trainLine.setOut(out);
        trainLine.setErr(spec.commandLine().getErr());
        List<String> args = new ArrayList<>(List.of(TRAIN_ARGS.split(" ")));
        args.addAll(List.of("--seed", Long.toString(seed)));
        if (threads.threads != null) {
            args.addAll(List.of("--threads", threads.threads.toString()));
        }
        trainLine.parseArgs(args.toArray(String[]::new));
        TrainCommand.Run run = train.train(out);
        showPredictions(out, run);
        return 0;
    }

    private void showPredictions(PrintWriter out, TrainCommand.Run run) {
        Dataset test = run.split().test();
        int count = Math.min(samples, test.size());
        if (count == 0) {
            return;
        }
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = (int) ((long) i * test.size() / count);
        }
        Batch batch = test.batch(indices);
        Tensor probabilities;
        try (var _ = NoGrad.enter()) {
            run.model().eval();
            probabilities = Functional.softmax(run.model().forward(batch.x()));
        }
        int[] predicted = probabilities.argmax(-1);
        int classes = probabilities.dim(1);
        out.println();
        out.println("Some test images and the network's answers" + (count < samples ? " (all " + count
                + " of the test split)" : "") + ":");
        int side = (int) Math.round(Math.sqrt(test.features()));
        int width = Math.max(2 * side + 4, 20);
        float[] x = batch.x().data();
        for (int first = 0; first < count; first += PER_ROW) {
            StringBuilder[] rows = new StringBuilder[side + 2];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = new StringBuilder();
            }
            for (int i = first; i < Math.min(count, first + PER_ROW); i++) {
                for (int r = 0; r < side; r++) {
                    for (int c = 0; c < side; c++) {
                        float v = x[i * test.features() + r * side + c];
                        char shade = SHADES.charAt(Math.min(SHADES.length() - 1, (int) (v * SHADES.length())));
                        rows[r].append(shade).append(shade);
                    }
                    rows[r].append("    ");
                }
                int label = batch.y()[i];
                float p = probabilities.data()[i * classes + predicted[i]];
                rows[side].append(String.format(Locale.ROOT, "%-" + width + "s", "label " + label + ", says "
                        + predicted[i]));
                rows[side + 1].append(String.format(Locale.ROOT, "%-" + width + "s", String.format(Locale.ROOT,
                        "(p = %.2f) %s", p, predicted[i] == label ? "right" : "WRONG")));
            }
            if (first > 0) {
                out.println();
            }
            for (StringBuilder row : rows) {
                out.println(row.toString().stripTrailing());
            }
        }
        out.flush();
    }
}
