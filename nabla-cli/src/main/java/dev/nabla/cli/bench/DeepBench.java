package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Init;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.nn.Sigmoid;
import dev.nabla.nn.Tanh;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench deep}: the deep narrow network of {@code bench/pytorch/deep.py}, 20 × (Linear(256, 256) +
 * activation) then Linear(256, 10), batch 128. Times training steps (SGD, momentum 0.9, lr 0.01) for the chosen
 * variants, and with {@code --grads} prints each hidden layer's weight-gradient norm after one backward pass.
 */
@Command(name = "deep", mixinStandardHelpOptions = true,
        description = "Training-step time of a 20-layer network of width 256, as bench/pytorch/deep.py.")
final class DeepBench implements Callable<Integer> {
    static final int DEPTH = 20;
    static final int WIDTH = 256;
    static final int CLASSES = 10;
    static final int BATCH = 128;
    static final List<String> VARIANTS = List.of("sigmoid_default", "relu_kaiming", "sigmoid_bn", "tanh_xavier",
            "relu_normal1");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--grads", description = "Print the hidden layers' weight-gradient norms after one backward pass.")
    boolean grads;

    @Option(names = "--time-variants", defaultValue = "sigmoid_default,sigmoid_bn,relu_kaiming",
            description = "Variants to time, comma-separated, from " + "sigmoid_default, relu_kaiming, sigmoid_bn, "
                    + "tanh_xavier, relu_normal1. Default: ${DEFAULT-VALUE}.")
    String timeVariants;

    @Option(names = "--no-time", description = "Skip the timing (with --grads).")
    boolean noTime;

    @Option(names = "--warmup", converter = Converters.NonNegativeInt.class,
            defaultValue = "20", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--blocks", converter = Converters.PositiveInt.class,
            defaultValue = "5", description = "Timed blocks. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--steps-per-block", converter = Converters.PositiveInt.class,
            defaultValue = "30", description = "Steps per block. Default: ${DEFAULT-VALUE}.")
    int stepsPerBlock;

    /** The model of a variant, and its 20 hidden Linear layers. */
    record Built(Module model, List<Linear> hidden) {
    }

    static Built build(String variant, Rng rng) {
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("unknown variant '" + variant + "': use one of " + String.join(", ", VARIANTS));
        }
        List<Module> layers = new ArrayList<>();
        List<Linear> hidden = new ArrayList<>();
        for (int i = 0; i < DEPTH; i++) {
            Linear lin = new Linear(WIDTH, WIDTH, rng);
            switch (variant) {
                case "relu_kaiming" -> {
                    Init.kaimingNormal(lin.weight(), 0, Init.Mode.FAN_IN, "relu", rng);
                    Init.constant(lin.bias(), 0f);
                }
                case "tanh_xavier" -> {
                    Init.xavierUniform(lin.weight(), 1.0, rng);
                    Init.constant(lin.bias(), 0f);
                }
                case "relu_normal1" -> {
                    Init.normal(lin.weight(), 0, 1, rng);
                    Init.constant(lin.bias(), 0f);
                }
                default -> { }
            }
            hidden.add(lin);
            layers.add(lin);
            if (variant.equals("sigmoid_bn")) {
                layers.add(new BatchNorm1d(WIDTH));
            }
            layers.add(switch (variant.split("_")[0]) {
                case "relu" -> new ReLU();
                case "tanh" -> new Tanh();
                default -> new Sigmoid();
            });
        }
        layers.add(new Linear(WIDTH, CLASSES, rng));
        return new Built(new Sequential(layers), hidden);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        for (String v : timeVariants.split(",")) {
            if (!noTime && !VARIANTS.contains(v.strip())) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--time-variants: '" + v.strip()
                        + "' is not one of " + String.join(", ", VARIANTS));
            }
        }
        var out = spec.commandLine().getOut();
        Map<String, Object> r = common.header("deep");
        r.put("depth", DEPTH);
        r.put("width", WIDTH);
        r.put("batch", BATCH);
        if (grads) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (String v : VARIANTS) {
                Map<String, Object> g = gradNorms(v);
                all.add(g);
                out.println(String.format(Locale.ROOT, "%-16s loss=%.4g ratio L1/L20=%.3e", v, g.get("loss"),
                        (double) g.get("ratio_layer1_over_layer20")));
            }
            r.put("grads", all);
        }
        if (!noTime) {
            List<Map<String, Object>> timing = new ArrayList<>();
            for (String v : timeVariants.split(",")) {
                Built b = build(v.strip(), new Rng(0));
                b.model().train();
                Rng data = new Rng(1);
                Tensor x = Tensor.randn(data, BATCH, WIDTH);
                int[] y = labels(data);
                SGD opt = new SGD(b.model().parameters(), 0.01, SGD.Options.defaults().withMomentum(0.9));
                TrainingStep step = new TrainingStep(b.model(), opt, x, y);
                List<Double> ms = step.msPerStep(warmup, blocks, stepsPerBlock);
                double flop = 6.0 * BATCH * ((double) DEPTH * WIDTH * WIDTH + WIDTH * CLASSES);
                double median = Stats.median(ms);
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("variant", v.strip());
                t.put("ms_per_step", Stats.of(ms));
                t.put("samples_per_s_median", BATCH / median * 1e3);
                t.put("gemm_gflops_at_median", flop / median / 1e6);
                t.put("warmup_s", step.warmupSeconds);
                timing.add(t);
                out.println(String.format(Locale.ROOT, "%-16s %.3f ms/step (min %s max %s), %.1f GEMM-GFLOP/s",
                        v.strip(), median, Stats.of(ms).get("min"), Stats.of(ms).get("max"), flop / median / 1e6));
            }
            r.put("timing", timing);
        }
        common.emit(out, r);
        return 0;
    }

    private static int[] labels(Rng rng) {
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rng.nextInt(CLASSES);
        }
        return y;
    }

    /** Frobenius norms of the hidden weights' gradients after one backward pass, in double. */
    static Map<String, Object> gradNorms(String variant) {
        Built b = build(variant, new Rng(0));
        b.model().train();
        Rng data = new Rng(1);
        Tensor x = Tensor.randn(data, BATCH, WIDTH);
        Tensor loss = new CrossEntropyLoss().apply(b.model().forward(x), labels(data));
        loss.backward();
        List<Double> norms = new ArrayList<>();
        for (Linear l : b.hidden()) {
            double sq = 0;
            for (float g : l.weight().grad().data()) {
                sq += (double) g * g;
            }
            norms.add(Math.sqrt(sq));
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("variant", variant);
        g.put("loss", (double) loss.item());
        g.put("hidden_weight_grad_fro", norms);
        double last = norms.get(norms.size() - 1);
        g.put("ratio_layer1_over_layer20", last != 0 ? norms.get(0) / last : Double.POSITIVE_INFINITY);
        return g;
    }
}
