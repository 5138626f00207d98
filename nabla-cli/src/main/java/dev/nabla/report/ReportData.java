package dev.nabla.report;

import dev.nabla.diagnostics.Diagnosis;
import dev.nabla.diagnostics.MonitorRecords;
import dev.nabla.kernel.Parallel;
import dev.nabla.kernel.Simd;
import dev.nabla.tensor.Tensor;
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
 * @param filters     a convolutional network's first-layer weights after training, to draw, or null
 * @param featureMaps a few test images and each block's feature maps of them, or null
 */
public record ReportData(String title, Map<String, Object> config, Map<String, String> environment, History history,
                         MonitorRecords records, Diagnosis diagnosis, Filters filters, FeatureMapView featureMaps) {
    /**
     * The kernels of a network's first convolution, which on images learn edge and blob detectors worth looking at.
     *
     * @param layer  the layer's name, such as {@code 0}
     * @param weight its weight {@code [out, in, kH, kW]} (a copy)
     */
    public record Filters(String layer, Tensor weight) {
        /** @throws IllegalArgumentException when the weight is not 4-D */
        public Filters {
            Objects.requireNonNull(layer, "layer");
            if (weight.rank() != 4) {
                throw new IllegalArgumentException("filters are a convolution's weight [out, in, kH, kW], got "
                        + weight.shape());
            }
        }
    }

    /** A report without filters. */
    public ReportData(String title, Map<String, Object> config, Map<String, String> environment, History history,
                      MonitorRecords records, Diagnosis diagnosis) {
        this(title, config, environment, history, records, diagnosis, null, null);
    }

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
