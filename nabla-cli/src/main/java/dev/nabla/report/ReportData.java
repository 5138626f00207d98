package dev.nabla.report;

import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.kernel.Parallel;
import dev.nabla.kernel.Simd;
import dev.nabla.train.History;
import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a training report shows: the run's history, what the gradient monitor recorded, the diagnosis, and
 * the configuration and environment as labelled values. The report is a function of this alone.
 *
 * @param title       the page's title
 * @param config      the run's configuration, label to value, in display order
 * @param environment seed, Nabla version, JDK, machine, label to value, in display order
 * @param history     the run's metrics
 * @param records     the gradient monitor's records
 * @param diagnosis   the diagnosis of those records
 */
public record ReportData(String title, Map<String, Object> config, Map<String, String> environment, History history,
                         MonitorRecords records, Diagnosis diagnosis) {
    public ReportData {
        Objects.requireNonNull(title, "title");
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(records, "records");
        Objects.requireNonNull(diagnosis, "diagnosis");
    }

    /** The environment of this JVM: the seed, Nabla's version, the JDK, the machine and the kernels. */
    public static Map<String, String> environment(String nablaVersion, long seed) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("seed", Long.toString(seed));
        env.put("Nabla", nablaVersion);
        env.put("JDK", System.getProperty("java.vm.name") + " " + Runtime.version());
        env.put("machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        env.put("kernels", Simd.describe());
        env.put("threads", Integer.toString(Parallel.threads()));
        env.put("written", OffsetDateTime.now().withNano(0).toString());
        return env;
    }
}
