package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Module;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench cnn}: training-step throughput of the Fashion-MNIST CNN (two blocks of Conv2d 3×3 → BatchNorm2d
 * → ReLU → MaxPool2d 2 with 32 and 64 channels, then Linear(3136, 128), ReLU, Linear(128, 10)), cross-entropy, SGD
 * with momentum 0.9 and lr 0.01, on a fixed random batch — the workload of {@code bench/pytorch/cnn.py --time}.
 */
@Command(name = "cnn", mixinStandardHelpOptions = true,
        description = "Training steps per second of the Fashion-MNIST CNN, as bench/pytorch/cnn.py --time.")
final class CnnBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--batch", converter = Converters.PositiveInt.class,
            defaultValue = "64", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--warmup", converter = Converters.NonNegativeInt.class,
            defaultValue = "10", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--blocks", converter = Converters.PositiveInt.class,
            defaultValue = "5", description = "Timed blocks. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--steps-per-block", converter = Converters.PositiveInt.class, defaultValue = "20",
            description = "Steps per block. Default: ${DEFAULT-VALUE}.")
    int stepsPerBlock;

    /** Multiply-adds times 2 of the convolutions and the Linear layers for one image, forward only. */
    static double flopPerSample() {
        return 2.0 * (28 * 28 * 32 * 9 + 14 * 14 * 64 * 32 * 9 + 3136 * 128 + 128 * 10);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        common.checkFits("--batch", batch * 784L, 8L * batch * 32 * 28 * 28, 8L * batch * 64 * 14 * 14);
        Rng rng = new Rng(0);
        Module model = new CnnSpec(28, 28, CnnSpec.DEFAULT_CHANNELS, CnnSpec.DEFAULT_HIDDEN, 10, true, 0).build(rng);
        model.train();
        SGD opt = new SGD(model.parameters(), 0.01, SGD.Options.defaults().withMomentum(0.9));
        Tensor x = Tensor.randn(rng, batch, 784);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(10);
        }
        TrainingStep step = new TrainingStep(model, opt, x, y);
        List<Double> ms = step.msPerStep(warmup, blocks, stepsPerBlock);
        List<Double> sps = ms.stream().map(m -> batch / m * 1e3).toList();
        double flop = 3.0 * flopPerSample() * batch;   // forward, and the input and weight gradients
        double median = Stats.median(ms);
        Map<String, Object> r = common.header("cnn");
        r.put("batch", batch);
        r.put("samples_per_s", Stats.of(sps));
        r.put("ms_per_step", Stats.of(ms));
        r.put("flop_per_step", flop);
        r.put("gflops_at_median", flop / median / 1e6);
        r.put("steps_timed", blocks * stepsPerBlock);
        r.put("warmup_s", step.warmupSeconds);
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "cnn batch=%d threads=%d: %.2f ms/step (min %.2f max %.2f), %.0f samples/s, %.1f GFLOP/s", batch,
                common.threads, median, Stats.of(ms).get("min"), Stats.of(ms).get("max"), batch / median * 1e3,
                flop / median / 1e6));
        common.emit(spec.commandLine().getOut(), r);
        return 0;
    }
}
