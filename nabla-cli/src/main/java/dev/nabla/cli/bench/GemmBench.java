package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.kernel.Gemm;
import dev.nabla.tensor.Rng;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench gemm}: float32 {@code C = A·B} GFLOP/s at the shapes of {@code bench/pytorch/gemm.py} (square
 * 128–2048 and the MLP's), or at one shape given with {@code --m --k --n}. Each repeat runs enough calls to last
 * {@code --min-time} seconds; the figure is 2·m·k·n·calls / time, median over {@code --repeats}. {@code --op atb}
 * or {@code --op abt} measures the transposed products at the same shapes instead.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "Matrix-product GFLOP/s, as bench/pytorch/gemm.py.")
final class GemmBench implements Callable<Integer> {
    /** The reference script's shapes: label, m, k, n. */
    static final Object[][] SHAPES = {
        {"sq128", 128, 128, 128}, {"sq256", 256, 256, 256}, {"sq512", 512, 512, 512},
        {"sq1024", 1024, 1024, 1024}, {"sq2048", 2048, 2048, 2048},
        {"mlp1 128x784*784x512", 128, 784, 512}, {"mlp2 128x512*512x256", 128, 512, 256},
        {"mlp3 128x256*256x10", 128, 256, 10}};

    /** Seconds of calls before timing a shape. */
    static final double WARMUP_SECONDS = 0.5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--m", description = "Rows of A and C (with --k and --n: measure this one shape).")
    Integer m;

    @Option(names = "--k", description = "Columns of A, rows of B.")
    Integer k;

    @Option(names = "--n", description = "Columns of B and C.")
    Integer n;

    @Option(names = "--op", defaultValue = "ab", description = "Product: ab (C = A·B), atb (C = Aᵀ·B, A stored k×m)"
            + " or abt (C = A·Bᵀ, B stored n×k). Default: ${DEFAULT-VALUE}.")
    String op;

    @Option(names = "--repeats", converter = Converters.PositiveInt.class,
            defaultValue = "7", description = "Timed repeats. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--min-time", converter = BenchValues.PositiveSeconds.class,
            defaultValue = "0.15", description = "Seconds per repeat. Default: ${DEFAULT-VALUE}.")
    double minTime;

    @Override
    public Integer call() throws Exception {
        common.apply();
        Object[][] shapes = SHAPES;
        if (m != null || k != null || n != null) {
            if (m == null || k == null || n == null || m < 1 || k < 1 || n < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "give all of --m, --k and --n, each at least 1, to measure one shape");
            }
            common.checkFits("--m, --k and --n", (long) m * k, (long) k * n, (long) m * n);
            shapes = new Object[][] {{m + "x" + k + "*" + k + "x" + n, m, k, n}};
        }
        if (!op.equals("ab") && !op.equals("atb") && !op.equals("abt")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--op must be ab, atb or abt, not " + op);
        }
        var out = spec.commandLine().getOut();
        List<Map<String, Object>> results = new ArrayList<>();
        Rng rng = new Rng(0);
        for (Object[] shape : shapes) {
            String label = (String) shape[0];
            int sm = (Integer) shape[1];
            int sk = (Integer) shape[2];
            int sn = (Integer) shape[3];
            float[] a = gaussian(rng, sm * sk);
            float[] b = gaussian(rng, sk * sn);
            float[] c = new float[sm * sn];
            // Warm-up: at least 3 calls, as the reference script, at least WARMUP_SECONDS, and until the JIT is done,
            // since it compiles the vector kernels only after many calls (they run about 70 times slower before).
            Warmup.run(() -> product(a, b, c, sm, sk, sn), 3, WARMUP_SECONDS);
            long t0 = System.nanoTime();
            product(a, b, c, sm, sk, sn);
            double one = Math.max((System.nanoTime() - t0) / 1e9, 1e-7);
            int iters = Math.max(1, (int) (minTime / one));
            double flop = 2.0 * sm * sk * sn;
            List<Double> gflops = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    product(a, b, c, sm, sk, sn);
                }
                gflops.add(flop * iters / ((System.nanoTime() - start) / 1e9) / 1e9);
            }
            Map<String, Object> s = Stats.of(gflops);
            s.put("label", label);
            s.put("m", sm);
            s.put("k", sk);
            s.put("n", sn);
            s.put("iters", iters);
            s.put("us_per_call", flop / (double) s.get("median") / 1e3);
            if (!op.equals("ab")) {
                s.put("op", op);
            }
            results.add(s);
            out.println(String.format(Locale.ROOT, "nabla t=%d %-24s %8.1f GFLOP/s (min %.1f max %.1f) %.1f us/call",
                    common.threads, op.equals("ab") ? label : op + " " + label, s.get("median"), s.get("min"),
                    s.get("max"), s.get("us_per_call")));
        }
        Map<String, Object> r = common.header("gemm");
        r.put("lib", "nabla");
        r.put("results", results);
        common.emit(out, r);
        return 0;
    }

    /** One call of the product chosen by {@code --op}; the arrays hold m·k, k·n and m·n floats whatever the op. */
    private void product(float[] a, float[] b, float[] c, int m, int k, int n) {
        switch (op) {
            case "atb" -> Gemm.atb(a, b, c, m, k, n, false);
            case "abt" -> Gemm.abt(a, b, c, m, k, n, false);
            default -> Gemm.ab(a, b, c, m, k, n, false);
        }
    }

    private static float[] gaussian(Rng rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
