package dev.nabla.spark.cli;

import dev.nabla.cli.Main;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla-spark} command: Nabla's training on Apache Spark. Its commands are {@code nabla}'s, with the
 * options that say how to spread the work; errors are reported as {@code nabla} reports them.
 */
@Command(name = "nabla-spark",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Train Nabla models on Apache Spark: data-parallel, with the same result on any number of "
                + "executors.", "", "Start with: nabla-spark train --master 'local[2]' --data digits --shards 4"},
        subcommands = {SparkTrainCommand.class, CostsCommand.class, CommandLine.HelpCommand.class})
public final class NablaSpark implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = Main.commandLine(new NablaSpark());
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
