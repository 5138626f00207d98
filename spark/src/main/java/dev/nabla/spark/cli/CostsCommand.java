package dev.nabla.spark.cli;

import dev.nabla.cli.values.Converters;
import dev.nabla.nn.CnnSpec;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.RecurrentSpec;
import dev.nabla.ops.Activation;
import dev.nabla.spark.costs.Costs;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla-spark costs}: measures what a data-parallel step costs here — Spark's job, broadcast and collect on a
 * master, and each network's pass, addition and optimizer step — and models the step on N machines from them
 * ({@code docs/DISTRIBUTED.md} explains the model).
 */
@Command(name = "costs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure what a data-parallel step costs (Spark's job, broadcast and collect on --master; each "
                + "network's pass per shard, the driver's addition and Adam's step) and model the step on N machines: "
                + "synchronous through the driver, local SGD, and a ring all-reduce among the executors.", "",
            "Example: nabla-spark costs --master 'local[2]' --bandwidth 1250"})
public final class CostsCommand implements Callable<Integer> {
    @Option(names = "--master", paramLabel = "URL", description = "Where to measure Spark's costs. Default: local[2].")
    String master = "local[2]";

    @Option(names = "--tasks", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Tasks of the jobs that measure Spark (and 4 × N for the per-task cost). Default: 4.")
    int tasks = 4;

    @Option(names = "--repeats", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Timings per figure, of which the median is taken. Default: 31.")
    int repeats = 31;

    @Option(names = "--warmup-ms", paramLabel = "MS", converter = Converters.NonNegativeInt.class,
            description = "Untimed runs before each figure, for the JIT to compile the code: MS of the same work (3 × MS "
                    + "for Spark's jobs). Default: ${DEFAULT-VALUE}.")
    int warmupMs = 1000;

    @Option(names = "--bandwidth", paramLabel = "MB/S", converter = Converters.PositiveNumber.class,
            description = "The network's bandwidth per machine, assumed (not measured). Default: 1250 (10 Gbit/s).")
    double bandwidth = 1250;

    @Option(names = "--latency", paramLabel = "MS", converter = Converters.NonNegativeNumber.class,
            description = "A message's latency between two executors in the ring, assumed. Default: 0.05.")
    double latency = 0.05;

    @Option(names = "--sync-every", paramLabel = "K", converter = Converters.PositiveInt.class,
            description = "The local SGD column's steps between averagings. Default: 8.")
    int syncEvery = 8;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        SparkConf conf = new SparkConf().setAppName("nabla-spark costs").setMaster(master);
        if (master.startsWith("local")) {
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.ui.enabled", "false");
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            Costs.measure(spark, tasks, repeats, warmupMs, bandwidth, latency, syncEvery, List.of(
                    new Costs.Network("mlp 784-256-10 relu+bn", new MlpSpec(784, List.of(256), 10, Activation.RELU,
                            Init.Scheme.DEFAULT, true), 64),
                    new Costs.Network("lstm 28×28-128-10", RecurrentSpec.ofImages(RecurrentSpec.Kind.LSTM, 784,
                            List.of(128), 10, Activation.TANH, Double.NaN), 64),
                    new Costs.Network("cnn 32,64-128-10", new CnnSpec(28, 28, CnnSpec.DEFAULT_CHANNELS,
                            CnnSpec.DEFAULT_HIDDEN, 10, false, 0), CnnSpec.DEFAULT_BATCH_SIZE)))
                    .forEach(out::println);
        }
        out.flush();
        return 0;
    }
}
