package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench mlp}: training-step throughput of the 784-512-256-10 MLP (Linear → BatchNorm1d → ReLU per
 * hidden layer, or without BatchNorm), cross-entropy, SGD with momentum 0.9 and lr 0.01, on a fixed random batch —
 * the workload of {@code bench/pytorch/mlp.py}.
 */
@Command(name = "mlp", mixinStandardHelpOptions = true,
        description = "Training steps per second of the 784-512-256-10 MLP, as bench/pytorch/mlp.py.")
final class MlpBench implements Callable<Integer> {
    static final int[] SIZES = {784, 512, 256, 10};

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--batch", converter = Converters.PositiveInt.class,
            defaultValue = "128", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--no-bn", description = "Leave out BatchNorm1d.")
    boolean noBn;

    @Option(names = "--warmup", converter = Converters.NonNegativeInt.class,
            defaultValue = "30", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--blocks", converter = Converters.PositiveInt.class,
            defaultValue = "5", description = "Timed blocks. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--steps-per-block", converter = Converters.PositiveInt.class,
            defaultValue = "40", description = "Steps per block. Default: ${DEFAULT-VALUE}.")
    int stepsPerBlock;

    static Module build(boolean bn, Rng rng) {
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < SIZES.length - 2; i++) {
            layers.add(new Linear(SIZES[i], SIZES[i + 1], rng));
            if (bn) {
                layers.add(new BatchNorm1d(SIZES[i + 1]));
            }
            layers.add(new ReLU());
        }
        layers.add(new Linear(SIZES[SIZES.length - 2], SIZES[SIZES.length - 1], rng));
        return new Sequential(layers);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        common.checkFits("--batch", batch * 784L, 6L * batch * 512, 6L * batch * 256);   // input, activations
        Rng rng = new Rng(0);
        Module model = build(!noBn, rng);
        model.train();
        SGD opt = new SGD(model.parameters(), 0.01, SGD.Options.defaults().withMomentum(0.9));
        Tensor x = Tensor.randn(rng, batch, SIZES[0]);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(SIZES[SIZES.length - 1]);
        }
        TrainingStep step = new TrainingStep(model, opt, x, y);
        List<Double> ms = step.msPerStep(warmup, blocks, stepsPerBlock);
        List<Double> sps = ms.stream().map(m -> batch / m * 1e3).toList();

        double weights = 0;
        for (int i = 0; i < SIZES.length - 1; i++) {
            weights += (double) SIZES[i] * SIZES[i + 1];
        }
        double flopStep = 6.0 * batch * weights;   // forward 2BW + backward (dX, dW) 4BW; GEMMs only
        double median = Stats.median(sps);
        Map<String, Object> r = common.header("mlp");
        r.put("batch", batch);
        r.put("bn", !noBn);
        r.put("samples_per_s", Stats.of(sps));
        r.put("ms_per_step", Stats.of(ms));
        r.put("gemm_flop_per_step", flopStep);
        r.put("gemm_gflops_at_median", flopStep * median / batch / 1e9);
        r.put("steps_timed", blocks * stepsPerBlock);
        r.put("warmup_s", step.warmupSeconds);
        spec.commandLine().getOut().println(String.format(Locale.ROOT,
                "mlp bn=%s batch=%d threads=%d: %.0f samples/s (min %.0f max %.0f), %.3f ms/step, %.1f GEMM-GFLOP/s",
                !noBn, batch, common.threads, median, Stats.of(sps).get("min"), Stats.of(sps).get("max"),
                Stats.median(ms), flopStep * median / batch / 1e9));
        common.emit(spec.commandLine().getOut(), r);
        return 0;
    }
}
