package dev.nabla.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.Utils$;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Spark session in this JVM for a test: {@code local[N]} (N task threads), or {@code local[N,F]} (each task tried
 * up to F times, for tests of retried tasks). It listens on the loopback address only, has no web UI, keeps its
 * scratch files in a temporary directory of its own (deleted at the end) and logs warnings and errors only.
 *
 * <p>For a whole test class, register it as an extension: it starts before the first test and stops after the last.
 * <pre>{@code
 * @RegisterExtension
 * static final LocalSpark SPARK = LocalSpark.threads(2);
 * ...  SPARK.session(), SPARK.context()
 * }</pre>
 * Within a test, start one with {@link #start()} in a try-with-resources block. A JVM runs one Spark context at a
 * time, so a test that wants another master closes the first one before it starts the next.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    private final int threads;
    private final int attempts;
    private SparkSession session;
    private Path scratch;

    private LocalSpark(int threads, int attempts) {
        if (threads < 1 || attempts < 1) {
            throw new IllegalArgumentException("threads and attempts must be at least 1: " + threads + ", " + attempts);
        }
        this.threads = threads;
        this.attempts = attempts;
    }

    /** {@code local[threads]}: a task that fails fails its job. Not started yet. */
    public static LocalSpark threads(int threads) {
        return new LocalSpark(threads, 1);
    }

    /** {@code local[threads,attempts]}: a failed task runs again, up to {@code attempts} times in all. Not started. */
    public static LocalSpark threads(int threads, int attempts) {
        return new LocalSpark(threads, attempts);
    }

    /** The master URL: {@code local[N]}, or {@code local[N,F]} when tasks are tried more than once. */
    public String master() {
        return attempts == 1 ? "local[" + threads + "]" : "local[" + threads + "," + attempts + "]";
    }

    /** Starts the session and returns this; for try-with-resources within a test. */
    public LocalSpark start() {
        if (session != null) {
            throw new IllegalStateException(master() + " is already running");
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            throw alreadyRunning(SparkSession.getDefaultSession().get().sparkContext().master());
        }
        try {
            scratch = Files.createTempDirectory("nabla-spark-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Spark reads spark.local.dir once per JVM and keeps it in a static; forget the last session's, as Spark's
        // own test harness does (Utils.clearLocalRootDirs is private[spark] in Scala, public to Java)
        Utils$.MODULE$.clearLocalRootDirs();
        try {
            session = SparkSession.builder()
                    .master(master())
                    .appName("nabla-spark test")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.local.dir", scratch.toString())
                    .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toUri().toString())
                    .config("spark.sql.shuffle.partitions", Integer.toString(threads))
                    .getOrCreate();
        } catch (RuntimeException | Error e) {
            deleteScratch();
            throw e;
        }
        // getOrCreate hands back a context that is already running (one made without a session), whatever its
        // master and settings
        String dir = session.sparkContext().getConf().get("spark.local.dir", "");
        if (!dir.equals(scratch.toString())) {
            String other = session.sparkContext().master();
            session = null;
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();   // the session made around the other context; the context runs on
            deleteScratch();
            throw alreadyRunning(other);
        }
        session.sparkContext().setLogLevel("WARN");
        return this;
    }

    private IllegalStateException alreadyRunning(String other) {
        return new IllegalStateException("cannot start " + master() + ": Spark on " + other
                + " is already running in this JVM, which runs one Spark context at a time; stop it first");
    }

    /** The running session. */
    public SparkSession session() {
        if (session == null) {
            throw new IllegalStateException(master() + " is not running: start() it, or register it as an extension");
        }
        return session;
    }

    /** The running session's context, for the RDD API. */
    public JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    /** Stops the session, so that the next one can start, and deletes its scratch directory. */
    @Override
    public void close() {
        if (session == null) {
            return;
        }
        try {
            session.stop();
        } finally {
            session = null;
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
            Utils$.MODULE$.clearLocalRootDirs();
            deleteScratch();
        }
    }

    /** Restores what {@link #quietTaskFailures()} silenced. */
    public interface Quiet extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Silences, until closed, what Spark logs about failing tasks (a stack trace per failed attempt, and the late
     * status updates of a job it aborted), for a test in which tasks fail on purpose; everything else still logs its
     * warnings. Open it before the session, so that it is closed after the session has stopped:
     * {@code try (var _ = LocalSpark.quietTaskFailures(); LocalSpark spark = LocalSpark.threads(2, 2).start())}.
     */
    public static Quiet quietTaskFailures() {
        Map<String, Level> before = new LinkedHashMap<>();
        for (String logger : List.of("org.apache.spark.executor.Executor", "org.apache.spark.scheduler.TaskSetManager",
                "org.apache.spark.scheduler.TaskSchedulerImpl")) {
            before.put(logger, LogManager.getLogger(logger).getLevel());
            Configurator.setLevel(logger, Level.OFF);
        }
        return () -> Configurator.setLevel(before);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void deleteScratch() {
        if (scratch == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete Spark's scratch directory " + scratch, e);
        } finally {
            scratch = null;
        }
    }
}
