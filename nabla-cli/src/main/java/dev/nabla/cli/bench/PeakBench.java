package dev.nabla.cli.bench;

import dev.nabla.cli.values.Converters;
import dev.nabla.kernel.Simd;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nabla bench peak}: the machine's float32 fused multiply-add peak as the JVM reaches it, the figure the GEMM
 * and training-step GFLOP/s are fractions of. Each thread runs 24 independent chains of vector multiply-adds on
 * registers only (enough chains to cover the latency of two FMA units), on 1 thread and then on {@code --threads}
 * threads at once, so the result also shows how far the cores scale (vCPUs that share a physical core do not).
 */
@Command(name = "peak", mixinStandardHelpOptions = true,
        description = "Float32 fused multiply-add peak in GFLOP/s, on 1 thread and on --threads threads.")
final class PeakBench implements Callable<Integer> {
    private static final int CHAINS = 24;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    BenchCommand.Common common = new BenchCommand.Common();

    @Option(names = "--repeats", converter = Converters.PositiveInt.class,
            defaultValue = "7", description = "Timed repeats. Default: ${DEFAULT-VALUE}.")
    int repeats;

    @Option(names = "--min-time", converter = BenchValues.PositiveSeconds.class,
            defaultValue = "0.1", description = "Seconds per repeat. Default: ${DEFAULT-VALUE}.")
    double minTime;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (!Simd.VECTORIZED) {
            throw new IllegalStateException("the peak is measured with the Vector API: run with "
                    + "--add-modules jdk.incubator.vector (the nabla launcher does)");
        }
        Map<String, Object> r = common.header("peak");
        List<Map<String, Object>> results = new ArrayList<>();
        List<Integer> counts = common.threads == 1 ? List.of(1) : List.of(1, common.threads);
        for (int threads : counts) {
            List<Double> gflops = new ArrayList<>();
            long iterations = calibrate();
            run(threads, iterations);   // warm-up, and the JIT compiles the loop
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                run(threads, iterations);
                double seconds = (System.nanoTime() - t0) / 1e9;
                gflops.add(flops(iterations) * threads / seconds / 1e9);
            }
            Map<String, Object> s = Stats.of(gflops);
            s.put("label", threads + "t");
            s.put("per_thread_median", Stats.median(gflops) / threads);
            results.add(s);
            spec.commandLine().getOut().println(String.format(Locale.ROOT,
                    "peak %d thread(s): %.1f GFLOP/s (min %.1f max %.1f), %.1f per thread",
                    threads, s.get("median"), s.get("min"), s.get("max"), Stats.median(gflops) / threads));
        }
        r.put("vector_bits", Lanes.bits());
        r.put("results", results);
        common.emit(spec.commandLine().getOut(), r);
        return 0;
    }

    private static double flops(long iterations) {
        return 2.0 * Lanes.lanes() * CHAINS * iterations;
    }

    /**
     * Iterations that take about {@code minTime} seconds on one thread, measured once the JIT has compiled the loop
     * (until then each vector is an object on the heap and the loop runs a hundred times slower).
     */
    private long calibrate() {
        long warmUntil = System.nanoTime() + 500_000_000L;
        while (System.nanoTime() < warmUntil) {
            Lanes.chains(10_000);
        }
        long iterations = 1 << 16;
        while (true) {
            long t0 = System.nanoTime();
            Lanes.chains(iterations);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (seconds >= minTime / 4) {
                return Math.max(1, (long) (iterations * minTime / seconds));
            }
            iterations *= 4;
        }
    }

    /** Runs {@code threads} threads of {@code iterations} each, started together; returns when all are done. */
    private static void run(int threads, long iterations) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> started = new ArrayList<>();
        for (int t = 1; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    return;
                }
                Lanes.chains(iterations);
            }, "nabla-peak-" + t);
            th.start();
            started.add(th);
        }
        start.await();
        Lanes.chains(iterations);
        for (Thread th : started) {
            th.join();
        }
    }

    /** The register-only loop; only loaded when the Vector API is present. */
    private static final class Lanes {
        private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

        static int lanes() {
            return S.length();
        }

        static int bits() {
            return S.vectorBitSize();
        }

        /** {@code iterations} steps of 24 independent {@code acc = acc·x + y}; returns their sum so none is dead. */
        static float chains(long iterations) {
            FloatVector x = FloatVector.broadcast(S, 0.999999f);
            FloatVector y = FloatVector.broadcast(S, 1e-7f);
            FloatVector a0 = FloatVector.broadcast(S, 1f);
            FloatVector a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
            FloatVector a16 = a0, a17 = a0, a18 = a0, a19 = a0, a20 = a0, a21 = a0, a22 = a0, a23 = a0;
            for (long i = 0; i < iterations; i++) {
                a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
                a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
                a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
                a12 = a12.fma(x, y); a13 = a13.fma(x, y); a14 = a14.fma(x, y); a15 = a15.fma(x, y);
                a16 = a16.fma(x, y); a17 = a17.fma(x, y); a18 = a18.fma(x, y); a19 = a19.fma(x, y);
                a20 = a20.fma(x, y); a21 = a21.fma(x, y); a22 = a22.fma(x, y); a23 = a23.fma(x, y);
            }
            FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10)
                    .add(a11).add(a12).add(a13).add(a14).add(a15).add(a16).add(a17).add(a18).add(a19).add(a20)
                    .add(a21).add(a22).add(a23);
            return sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        }
    }
}
