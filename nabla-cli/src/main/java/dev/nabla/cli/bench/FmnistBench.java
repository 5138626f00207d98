package dev.nabla.cli.bench;

import dev.nabla.autograd.NoGrad;
import dev.nabla.cli.values.Converters;
import dev.nabla.data.Batch;
import dev.nabla.data.DataLoader;
import dev.nabla.data.Dataset;
import dev.nabla.data.FashionMnist;
import dev.nabla.loss.CrossEntropyLoss;
import dev.nabla.nn.BatchNorm1d;
import dev.nabla.nn.Linear;
import dev.nabla.nn.Module;
import dev.nabla.nn.ReLU;
import dev.nabla.nn.Sequential;
import dev.nabla.optim.Adam;
import dev.nabla.optim.Optimizer;
import dev.nabla.optim.SGD;
import dev.nabla.tensor.Rng;
import dev.nabla.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code nabla bench fmnist}: Fashion-MNIST end to end, as {@code bench/pytorch/fmnist.py}: 784-256-128-10 with
 * Linear → BatchNorm1d → ReLU, cross-entropy, Adam 1e-3 (or SGD 0.05 with momentum 0.9), batch 128, reshuffled
 * every epoch, evaluation on the 10 000 test images after each epoch. Reports training seconds per epoch, test
 * accuracy and the process's peak memory.
 */
@Command(name = "fmnist", mixinStandardHelpOptions = true,
        description = "Fashion-MNIST training time per epoch and accuracy, as bench/pytorch/fmnist.py.")
final class FmnistBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--data", defaultValue = "/usr/share/datasets/fashion-mnist",
            description = "Directory of the four IDX files. Default: ${DEFAULT-VALUE}.")
    Path data;

    @Option(names = "--opt", defaultValue = "adam", description = "adam (lr 1e-3) or sgd (lr 0.05, momentum 0.9).")
    String opt;

    @Option(names = "--epochs", converter = Converters.PositiveInt.class,
            defaultValue = "5", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--batch", converter = Converters.PositiveInt.class,
            defaultValue = "128", description = "Batch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--seed", defaultValue = "0", description = "Seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (!opt.equals("adam") && !opt.equals("sgd")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--opt must be adam or sgd, got " + opt);
        }
        var out = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        Dataset.Split split = FashionMnist.load(data);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;

        Rng rng = new Rng(seed);
        Module model = new Sequential(
                new Linear(784, 256, rng), new BatchNorm1d(256), new ReLU(),
                new Linear(256, 128, rng), new BatchNorm1d(128), new ReLU(),
                new Linear(128, 10, rng));
        Optimizer optimizer = opt.equals("adam") ? new Adam(model.parameters(), 1e-3)
                : new SGD(model.parameters(), 0.05, SGD.Options.defaults().withMomentum(0.9));
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        DataLoader loader = new DataLoader(split.train(), batch, DataLoader.shuffled(seed));

        List<Map<String, Object>> perEpoch = new ArrayList<>();
        List<Double> train = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        double accuracy = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long te = System.nanoTime();
            model.train();
            double lossSum = 0;
            int batches = 0;
            for (Batch b : loader) {
                optimizer.zeroGrad();
                Tensor loss = lossFn.apply(model.forward(b.x()), b.y());
                loss.backward();
                optimizer.step();
                lossSum += loss.item();
                batches++;
            }
            double trainSeconds = (System.nanoTime() - te) / 1e9;
            long tv = System.nanoTime();
            accuracy = evaluate(model, split.test());
            double evalSeconds = (System.nanoTime() - tv) / 1e9;
            train.add(trainSeconds);
            total.add(trainSeconds + evalSeconds);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("epoch", epoch);
            e.put("train_s", trainSeconds);
            e.put("eval_s", evalSeconds);
            e.put("epoch_total_s", trainSeconds + evalSeconds);
            e.put("train_loss", lossSum / batches);
            e.put("test_acc", accuracy);
            e.put("batches", batches);
            perEpoch.add(e);
            out.println(String.format(Locale.ROOT, "epoch %d train %.3fs eval %.3fs loss %.4f test_acc %.4f",
                    epoch, trainSeconds, evalSeconds, lossSum / batches, accuracy));
            out.flush();
        }
        Map<String, Object> r = common.header("fmnist");
        r.put("opt", opt);
        r.put("seed", seed);
        r.put("batch", batch);
        r.put("epochs", perEpoch);
        r.put("load_s", loadSeconds);
        r.put("train_s_stats", Stats.of(train));
        r.put("epoch_total_s_stats", Stats.of(total));
        r.put("final_test_acc", accuracy);
        r.put("peak_rss_mib", peakRssMib());
        out.println(String.format(Locale.ROOT, "%s: final acc %.4f, median train/epoch %.3fs, peak RSS %.0f MiB",
                opt, accuracy, Stats.median(train), peakRssMib()));
        common.emit(out, r);
        return 0;
    }

    private static double evaluate(Module model, Dataset test) {
        model.eval();
        long correct = 0;
        try (var _ = NoGrad.enter()) {
            for (Batch b : new DataLoader(test, 1000)) {
                int[] predicted = model.forward(b.x()).argmax(-1);
                for (int i = 0; i < predicted.length; i++) {
                    if (predicted[i] == b.y()[i]) {
                        correct++;
                    }
                }
            }
        }
        return (double) correct / test.size();
    }

    /** The process's peak resident memory (VmHWM of /proc/self/status), or NaN where that file does not exist. */
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
