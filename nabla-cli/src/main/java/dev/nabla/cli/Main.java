package dev.nabla.cli;

import dev.nabla.cli.bench.BenchCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nabla} command. Each subcommand is one class that parses its flags and calls the library; this class
 * only wires them together and turns failures into one clear line and an exit code (1 for a failed run, 2 for a
 * bad command line).
 */
@Command(name = "nabla",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Train neural networks in pure Java, and see what happens to their gradients.",
            "",
            "Start with: nabla demo"},
        subcommands = {TrainCommand.class, GradflowCommand.class, DemoCommand.class, SoftmaxCommand.class,
            BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given output streams and returns the exit status (for tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("nabla: " + message(e));
            if (System.getenv("NABLA_DEBUG") != null) {
                e.printStackTrace(command.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version from the build, for {@code --version} and reports. */
    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints Nabla's, the JVM's and the vector path's versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "Nabla " + version(),
                "JVM " + System.getProperty("java.vm.name") + " " + Runtime.version(),
                "Kernels: " + dev.nabla.kernel.Simd.describe()};
        }
    }
}
