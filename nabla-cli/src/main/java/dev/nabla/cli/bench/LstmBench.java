package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.data.Batch;
import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.diagnostics.GradientThroughTime;
import dev.nabla.nn.GRU;
import dev.nabla.nn.LSTM;
import dev.nabla.nn.RNN;
import dev.nabla.nn.Recurrent;
import dev.nabla.nn.RecurrentClassifier;
import dev.nabla.nn.RecurrentOptions;
import dev.nabla.optim.Adam;
import dev.nabla.tensor.Numbers;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench lstm}: the recurrent classifier of {@code bench/pytorch/lstm.py} — each 28 × 28 image read as
 * 28 rows of 28 features, hidden 128, batch-first, batch 64, the last hidden state through Linear(128, 10) and
 * cross-entropy, Adam with lr 1e-3. Times training steps of the chosen models, and with {@code --grads} prints the
 * gradient norm that reaches every time step after one backward pass at initialisation.
 */
@Command(name = "lstm", mixinStandardHelpOptions = true,
        description = "Training-step time of an LSTM and an RNN reading 28 rows of 28 features, as "
                + "bench/pytorch/lstm.py.")
final class LstmBench implements Callable<Integer> {
    static final int FEATURES = 28;
    static final int HIDDEN = 128;
    static final int STEPS = 28;
    static final int BATCH = 64;
    static final int CLASSES = 10;
    static final List<String> MODELS = List.of("rnn", "lstm", "lstm_fb1", "gru");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--grads", description = "Print the gradient norm at every time step after one backward pass.")
    boolean grads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "With --grads: the Fashion-MNIST directory, to measure on its first 64 training images too.")
    Path data;

    @Option(names = "--time-models", defaultValue = "lstm,rnn",
            description = "Models to time, comma-separated, from rnn, lstm, lstm_fb1, gru. Default: ${DEFAULT-VALUE}.")
    String timeModels;

    @Option(names = "--no-time", description = "Skip the timing (with --grads).")
    boolean noTime;

    @Option(names = "--warmup", converter = Converters.NonNegativeInt.class,
            defaultValue = "10", description = "Untimed steps first. Default: ${DEFAULT-VALUE}.")
    int warmup;

    @Option(names = "--blocks", converter = Converters.PositiveInt.class,
            defaultValue = "5", description = "Timed blocks. Default: ${DEFAULT-VALUE}.")
    int blocks;

    @Option(names = "--steps-per-block", converter = Converters.PositiveInt.class,
            defaultValue = "20", description = "Steps per block. Default: ${DEFAULT-VALUE}.")
    int stepsPerBlock;

    /** The classifier of a model kind, initialised from {@code rng}. */
    static RecurrentClassifier build(String model, Rng rng) {
        RecurrentOptions options = RecurrentOptions.of(FEATURES, HIDDEN).batchFirst(true);
        Recurrent layer = switch (model) {
            case "rnn" -> new RNN(options, rng);
            case "lstm" -> new LSTM(options, rng);
            case "lstm_fb1" -> new LSTM(options.forgetBias(1.0), rng);
            case "gru" -> new GRU(options, rng);
            default -> throw new IllegalArgumentException("unknown model '" + model + "': use one of "
                    + String.join(", ", MODELS));
        };
        return new RecurrentClassifier(List.of(layer), STEPS, CLASSES, rng);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        for (String m : timeModels.split(",")) {
            if (!noTime && !MODELS.contains(m.strip())) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--time-models: '" + m.strip()
                        + "' is not one of " + String.join(", ", MODELS));
            }
        }
        var out = spec.commandLine().getOut();
        Map<String, Object> r = common.header("lstm");
        r.put("features", FEATURES);
        r.put("hidden", HIDDEN);
        r.put("steps", STEPS);
        r.put("batch", BATCH);
        if (grads) {
            List<Map<String, Object>> all = new ArrayList<>();
            Map<String, Batch> inputs = new LinkedHashMap<>();
            inputs.put("random_normal", randomBatch());
            if (data != null) {
                Dataset train = FashionMnist.load(data).train();
                inputs.put("fashion_mnist_first64", train.batch(IntStream.range(0, BATCH).toArray()));
            }
            for (var input : inputs.entrySet()) {
                for (String model : MODELS) {
                    RecurrentClassifier net = build(model, new Rng(0));
                    GradientThroughTime g = GradientThroughTime.measure(net, input.getValue().x(),
                            input.getValue().y(), STEPS);
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("model", model);
                    entry.put("input", input.getKey());
                    entry.put("loss", g.loss());
                    entry.put("steps", g.steps());
                    entry.put("ratio_first_last", g.ratioFirstLast());
                    all.add(entry);
                    out.println(String.format(Locale.ROOT, "%-22s %-8s loss=%.4f ratio t1/t%d=%s", input.getKey(),
                            model, g.loss(), STEPS, Numbers.sci(g.ratioFirstLast())));
                }
            }
            r.put("grads", all);
        }
        if (!noTime) {
            List<Map<String, Object>> timing = new ArrayList<>();
            for (String m : timeModels.split(",")) {
                String model = m.strip();
                RecurrentClassifier net = build(model, new Rng(0));
                net.train();
                Batch batch = randomBatch();
                TrainingStep step = new TrainingStep(net, new Adam(net.parameters(), 1e-3), batch.x(), batch.y());
                List<Double> ms = step.msPerStep(warmup, blocks, stepsPerBlock);
                double flop = gemmFlopPerStep(model);
                double median = Stats.median(ms);
                Map<String, Object> t = new LinkedHashMap<>();
                t.put("model", model);
                t.put("ms_per_step", Stats.of(ms));
                t.put("samples_per_s_median", BATCH / median * 1e3);
                t.put("gemm_flop_per_step", flop);
                t.put("gemm_gflops_at_median", flop / median / 1e6);
                t.put("warmup_s", step.warmupSeconds);
                timing.add(t);
                out.println(String.format(Locale.ROOT, "%-8s %.3f ms/step (min %s max %s), %.1f GEMM-GFLOP/s", model,
                        median, Stats.of(ms).get("min"), Stats.of(ms).get("max"), flop / median / 1e6));
            }
            r.put("timing", timing);
        }
        common.emit(out, r);
        return 0;
    }

    /**
     * The floating-point operations of the products in one training step: forward 2·N·T·G·H·(I + H) (G gates: 1 for
     * the RNN, 3 for the GRU, 4 for the LSTM), backward twice that, and the head's 6·N·H·classes.
     */
    static double gemmFlopPerStep(String model) {
        int gates = switch (model) {
            case "rnn" -> 1;
            case "gru" -> 3;
            default -> 4;
        };
        return 6.0 * BATCH * STEPS * gates * HIDDEN * (FEATURES + HIDDEN) + 6.0 * BATCH * HIDDEN * CLASSES;
    }

    /** A random batch from seed 1: inputs N(0, 1) of shape [64, 28·28], labels uniform over the classes. */
    private static Batch randomBatch() {
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, BATCH, STEPS * FEATURES);
        int[] y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = rng.nextInt(CLASSES);
        }
        return new Batch(x, y);
    }
}
