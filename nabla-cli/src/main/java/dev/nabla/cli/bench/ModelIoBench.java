package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.io.ModelDescription;
import dev.nabla.io.ModelFile;
import dev.nabla.nn.Init;
import dev.nabla.nn.MlpSpec;
import dev.nabla.nn.Module;
import dev.nabla.ops.Activation;
import dev.nabla.tensor.Rng;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench io}: saving and loading a large model as safetensors — an MLP of about {@code --mb} megabytes
 * of float32 weights — timed, with the bytes the saving or loading thread allocates on the heap (the JVM's count
 * per thread): saving streams the weights through a small buffer, loading reads them once into temporaries (so
 * that a file that does not fit changes nothing) beside the model it builds.
 */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = "Save and load a large model as safetensors: time and heap bytes allocated.")
final class ModelIoBench implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--mb", converter = Converters.PositiveInt.class,
            defaultValue = "100", description = "Model size in MB of weights. Default: ${DEFAULT-VALUE}.")
    int mb;

    @Option(names = "--repeats", converter = Converters.PositiveInt.class,
            defaultValue = "5", description = "Timed repeats. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Override
    public Integer call() throws Exception {
        common.apply();
        long weights = mb * 250_000L;   // float32 values
        common.checkFits("--mb", weights, weights, weights);   // the model, the one loaded, the file's bytes
        // inputs = hidden: two square-ish layers hold the bytes asked for
        int width = (int) Math.sqrt(mb * 1e6 / 4 / 1.5);
        MlpSpec mlp = new MlpSpec(width, List.of(width, width / 2), 10, Activation.RELU, Init.Scheme.DEFAULT);
        Module model = mlp.build(new Rng(1));
        ModelDescription description = new ModelDescription(mlp, width, List.of(), List.of(),
                IntStream.range(0, 10).mapToObj(Integer::toString).toList(), "none");
        long modelBytes = 4 * model.parameterCount();
        Path dir = Files.createTempDirectory("nabla-bench-io");
        Path file = dir.resolve("model.safetensors");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<Double> saveMs = new ArrayList<>();
        List<Double> loadMs = new ArrayList<>();
        long saveAllocated = 0;
        long loadAllocated = 0;
        try {
            for (int i = 0; i <= repeats; i++) {   // the first round warms up and is not counted
                System.gc();
                long a0 = threads.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                ModelFile.save(file, model, description);
                double save = (System.nanoTime() - t0) / 1e6;
                long a1 = threads.getCurrentThreadAllocatedBytes();
                System.gc();
                long a2 = threads.getCurrentThreadAllocatedBytes();
                long t1 = System.nanoTime();
                ModelFile.Loaded loaded = ModelFile.load(file);
                double load = (System.nanoTime() - t1) / 1e6;
                long a3 = threads.getCurrentThreadAllocatedBytes();
                if (loaded.model().parameterCount() != model.parameterCount()) {
                    throw new IllegalStateException("the loaded model differs");
                }
                if (i > 0) {
                    saveMs.add(save);
                    loadMs.add(load);
                    saveAllocated = Math.max(saveAllocated, a1 - a0);
                    loadAllocated = Math.max(loadAllocated, a3 - a2);
                }
            }
        } finally {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        Map<String, Object> r = common.header("io");
        r.put("model_bytes", modelBytes);
        r.put("save_ms", Stats.of(saveMs));
        r.put("load_ms", Stats.of(loadMs));
        r.put("save_allocated_bytes", saveAllocated);
        r.put("load_allocated_bytes", loadAllocated);
        var out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "model  %s · %,d parameters · %.1f MB", mlp, model.parameterCount(),
                modelBytes / 1e6));
        out.println(String.format(Locale.ROOT, "save   %.0f ms (min %.0f, max %.0f) · %.1f MB allocated on the heap "
                + "(%.2f× the model)", Stats.median(saveMs), Stats.of(saveMs).get("min"), Stats.of(saveMs).get("max"),
                saveAllocated / 1e6, (double) saveAllocated / modelBytes));
        out.println(String.format(Locale.ROOT, "load   %.0f ms (min %.0f, max %.0f) · %.1f MB allocated on the heap "
                + "(%.2f× the model: the model built, and one copy of the weights read)", Stats.median(loadMs),
                Stats.of(loadMs).get("min"), Stats.of(loadMs).get("max"), loadAllocated / 1e6,
                (double) loadAllocated / modelBytes));
        common.emit(out, r);
        return 0;
    }
}
