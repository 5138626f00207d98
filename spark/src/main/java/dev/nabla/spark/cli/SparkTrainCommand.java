package dev.nabla.spark.cli;

import dev.nabla.cli.TrainCommand;
import dev.nabla.cli.TrainingRun;
import dev.nabla.cli.values.Converters;
import dev.nabla.spark.SparkLocalSgd;
import dev.nabla.spark.SparkShards;
import dev.nabla.train.History;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla-spark train}: {@code nabla train}, with the shards of each batch computed on Spark's executors
 * ({@link SparkShards}). Every option of {@code nabla train} is here; {@code --shards} is required, and
 * {@code --master} says where to run.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train as nabla train does, data-parallel on Apache Spark: each batch is cut into --shards "
                + "parts, computed by the executors and added on the driver in shard order, so the weights are the "
                + "same bit for bit on any number of executors, and equal nabla train --shards with as many shards.",
            "",
            "Example: nabla-spark train --master 'local[2]' --data fashion-mnist --batchnorm --shards 4 --epochs 1"})
public final class SparkTrainCommand extends TrainCommand {
    @Option(names = "--master", paramLabel = "URL",
            description = "The Spark master: local[N] runs N executor threads in this JVM (local[N,F] retries a "
                    + "failed task up to F times), spark://HOST:PORT a standalone cluster. Default: what spark-submit "
                    + "set, else local[2].")
    String master;

    @Option(names = "--sync-every", paramLabel = "K", converter = Converters.PositiveInt.class,
            description = "Local SGD: each shard's task takes K optimizer steps on its own shard before the weights "
                    + "and optimizer states are averaged, one Spark job per K steps instead of one per step. Faster "
                    + "where a job costs more than a step; not equal to synchronous training, and further from it as "
                    + "K grows. Default: synchronous (a job per step).")
    Integer syncEvery;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    /** The masters Spark 4.2 knows: local, local[N] or local[*], local[N,F], a standalone cluster, YARN, Kubernetes. */
    private static final Pattern MASTER = Pattern.compile(
            "local(\\[(\\d+|\\*)(,\\d+)?])?|spark://.+|yarn|k8s://.+");

    @Override
    protected History fit(TrainingRun run) {
        if (run.shards() == 0) {
            throw new CommandLine.ParameterException(command.commandLine(), "nabla-spark train cuts each batch into "
                    + "parts for the executors: give --shards N (e.g. --shards 4, with a batch size that is a multiple)");
        }
        if (syncEvery != null && run.syncBatchNorm()) {
            throw new CommandLine.ParameterException(command.commandLine(), "--sync-every and --sync-batchnorm do not "
                    + "go together: local SGD's tasks step on their own, with no whole batch to normalise; drop one");
        }
        SparkConf conf = new SparkConf().setAppName("nabla-spark train");
        if (master != null) {
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.master", "local[2]");
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1").setIfMissing("spark.driver.bindAddress", "127.0.0.1")
                    .setIfMissing("spark.ui.enabled", "false");
        }
        try (JavaSparkContext spark = start(conf);
             SparkShards shards = new SparkShards(spark, run.split().train(), run.regressionLoss(), run.model(),
                     run.spec(), run.batchSize(), run.shards(), run.seed(), run.syncBatchNorm())) {
            run.log().println(String.format(Locale.ROOT, "spark  %s · Spark %s · %d shards of %d samples per batch%s",
                    spark.master(), spark.version(), run.shards(), run.batchSize() / run.shards(),
                    run.syncBatchNorm() ? " · BatchNorm synchronised" : syncEvery == null ? ""
                    : " · local SGD, averaged every " + syncEvery + " steps"));
            run.log().flush();
            return syncEvery == null ? run.trainer().fit(shards, run.split().test())
                    : run.trainer().fit(new SparkLocalSgd(shards, syncEvery, run.optimizer(), run.clipValue(),
                    run.clipNorm()), run.split().test());
        }
    }

    /** Spark's context on {@code conf}'s master, or a usage error naming the master and what a master looks like. */
    private JavaSparkContext start(SparkConf conf) {
        String url = conf.get("spark.master");
        if (!MASTER.matcher(url).matches()) {   // refused here, before Spark logs its own error with a stack trace
            throw new CommandLine.ParameterException(command.commandLine(), "--master " + url + " is not a Spark "
                    + "master: give local[N], local[N,F] or spark://HOST:PORT (or yarn, k8s://URL)");
        }
        try {
            return new JavaSparkContext(conf);
        } catch (Exception e) {   // Spark's SparkException is checked, and thrown undeclared
            throw new CommandLine.ParameterException(command.commandLine(), "--master " + conf.get("spark.master")
                    + ": Spark could not start (" + e.getMessage() + "); give local[N], local[N,F] or "
                    + "spark://HOST:PORT", e);
        }
    }
}
