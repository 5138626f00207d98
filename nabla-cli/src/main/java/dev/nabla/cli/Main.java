package dev.nabla.cli;

import dev.nabla.Nabla;
import dev.nabla.cli.bench.BenchCommand;
import dev.nabla.cli.values.Converters;
import dev.nabla.kernel.Simd;
import dev.nabla.nn.Init;
import dev.nabla.ops.Activation;
import dev.nabla.optim.OptimizerKind;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command. Each subcommand is one class that parses its flags and calls the library; this class
 * wires them together and turns failures into one clear line and an exit code: 2 for a bad command line (the error,
 * a guess at what was meant, and where the help is), 1 for a run that failed (what went wrong, as a sentence).
 */
@Command(name = "nabla",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Train neural networks in pure Java, and see what happens to their gradients.",
            "",
            "Start with: nabla demo"},
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, InspectCommand.class,
            GradflowCommand.class, DemoCommand.class, SoftmaxCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        // a thread of the command's own (a benchmark's, a shutdown hook) that fails says so in one line, like the rest
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            PrintWriter err = new PrintWriter(System.err, true);
            err.println("nabla: " + Failures.message(e) + " (in thread " + thread.getName() + "; set NABLA_DEBUG=1 "
                    + "for the stack trace)");
            debug(e, err);
        });
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine(new Main());
        // a mistyped flag after --input's files (--input a.csv --topk 3) is a mistake, not two more files; elsewhere
        // a value may start with a dash (softmax --logits -inf,0)
        cli.getSubcommands().get("predict").setUnmatchedOptionsAllowedAsOptionParameters(false);
        cli.setOut(out);
        cli.setErr(err);
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("nabla: " + Failures.outOfMemory());
            return 1;
        } catch (Error e) {
            err.println("nabla: the JVM failed (" + e + "); set NABLA_DEBUG=1 for the stack trace");
            debug(e, err);
            return 1;
        }
    }

    /**
     * A picocli command line for {@code command} (the whole {@code nabla} tree, or one subcommand run from another)
     * that reads the library's enums by their names and reports errors as this class says.
     */
    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command);
        cli.registerConverter(Activation.class, new Converters.Choice<>(Activation.class));
        cli.registerConverter(Init.Scheme.class, new Converters.Choice<>(Init.Scheme.class));
        cli.registerConverter(OptimizerKind.class, new Converters.Choice<>(OptimizerKind.class));
        cli.registerConverter(ModelOptions.Kind.class, new Converters.Choice<>(ModelOptions.Kind.class));
        cli.registerConverter(DataOptions.Task.class, new Converters.Choice<>(DataOptions.Task.class));
        cli.setParameterExceptionHandler(Main::badCommandLine);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("nabla: " + Failures.message(e));
            debug(e, line.getErr());
            return 1;
        });
        return cli;
    }

    /** The error, a guess at what a mistyped flag or command meant, and where the options are listed. */
    private static int badCommandLine(CommandLine.ParameterException e, String[] args) {
        CommandLine line = e.getCommandLine();
        PrintWriter err = line.getErr();
        err.println("nabla: " + e.getMessage() + unknownCommand(e, line));
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            err.println("Did you mean " + String.join(" or ", unmatched.getSuggestions().stream()
                    .map(s -> s.startsWith("-") ? s : line.getCommandSpec().qualifiedName() + " " + s).toList()) + "?");
        }
        err.println("'" + line.getCommandSpec().qualifiedName() + " --help' lists the options.");
        err.flush();
        return 2;
    }

    /** For a word where a command of several (bench's workloads) was expected: what the commands are. */
    private static String unknownCommand(CommandLine.ParameterException e, CommandLine line) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || line.getSubcommands().isEmpty()
                || unmatched.getUnmatched().isEmpty() || unmatched.getUnmatched().getFirst().startsWith("-")) {
            return "";
        }
        return "; the commands of " + line.getCommandSpec().qualifiedName() + " are " + String.join(", ",
                line.getSubcommands().keySet().stream().filter(name -> !name.equals("help")).toList());
    }

    private static void debug(Throwable e, PrintWriter err) {
        if (System.getenv("NABLA_DEBUG") != null) {
            e.printStackTrace(err);
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints Nabla's, the JVM's and the kernels' versions. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "Nabla " + Nabla.version(),
                "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version(),
                "Kernels: " + Simd.describe() + (Simd.VECTORIZED ? " (the JDK's jdk.incubator.vector module, which "
                        + "is still incubating; the launcher keeps the JVM's warning about it off other commands)"
                        : " (start the JVM with --add-modules jdk.incubator.vector for the fast kernels)")};
        }
    }
}
