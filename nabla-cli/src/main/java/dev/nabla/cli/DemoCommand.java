package dev.nabla.cli;

import dev.nabla.autograd.NoGrad;
import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.diagnostics.GradientMonitor;
import dev.nabla.ops.Functional;
import dev.nabla.tensor.Tensor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla demo}: trains a small network on the bundled handwritten digits (a few seconds) and shows some
 * test images with what the network thinks they are.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Train a 64-256-10 ReLU network on the bundled 8x8 handwritten digits for 20 epochs, then "
                + "show test images with the network's predictions.",
            "Same as: nabla train --data digits --hidden 256 --epochs 20 --seed 1, plus the pictures."})
public class DemoCommand implements Callable<Integer> {
    private static final String SHADES = " .:-=+*#%@";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the run. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--samples", defaultValue = "4", description = "Test images to show. Default: ${DEFAULT-VALUE}.")
    int samples;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Training a classifier for handwritten digits (UCI, 1797 images of 8x8 pixels).");
        TrainCommand train = new TrainCommand();
        train.spec = spec;
        train.data = "digits";
        train.hidden = List.of(256);
        train.activation = "relu";
        train.init = "default";
        train.optimizer = "adam";
        train.momentum = 0.9;
        train.batchSize = 64;
        train.epochs = 20;
        train.monitorEvery = GradientMonitor.DEFAULT_EVERY;
        train.seed = seed;
        TrainCommand.Run run = train.train(out);
        showPredictions(out, run, Math.max(0, samples));
        return 0;
    }

    private void showPredictions(PrintWriter out, TrainCommand.Run run, int count) {
        Dataset test = run.split().test();
        count = Math.min(count, test.size());
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
        out.println("Some test images and the network's answers:");
        int side = (int) Math.round(Math.sqrt(test.features()));
        StringBuilder[] rows = new StringBuilder[side + 2];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new StringBuilder();
        }
        float[] x = batch.x().data();
        for (int i = 0; i < count; i++) {
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
            int width = Math.max(2 * side + 4, 20);
            rows[side].append(String.format(Locale.ROOT, "%-" + width + "s", "label " + label + ", says " + predicted[i]));
            rows[side + 1].append(String.format(Locale.ROOT, "%-" + width + "s", String.format(Locale.ROOT, "(p = %.2f) %s", p,
                    predicted[i] == label ? "right" : "WRONG")));
        }
        for (StringBuilder row : rows) {
            out.println(row.toString().stripTrailing());
        }
        out.flush();
    }
}
