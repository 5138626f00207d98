package dev.nabla.cli.bench;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How the benchmarks read their counts and times, refused while the command line is parsed when out of range
 * (picocli names the option), and whether the arrays a workload's sizes ask for fit, checked before allocating.
 * The benchmarks keep their own: they must not reach back into the commands' package (Main wires them in).
 */
final class BenchValues {
    /** The most elements a Java array holds. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private BenchValues() {
    }

    /** A whole number of at least 1: batches, blocks, repeats, megabytes. */
    static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = wholeNumber(value);
            if (v < 1) {
                throw new TypeConversionException("must be at least 1, got " + v);
            }
            return v;
        }
    }

    /** A whole number of at least 0: warm-up steps. */
    static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = wholeNumber(value);
            if (v < 0) {
                throw new TypeConversionException("must be 0 or more, got " + v);
            }
            return v;
        }
    }

    /** A finite number of seconds above 0. */
    static final class PositiveSeconds implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v;
            try {
                v = Double.parseDouble(value.strip());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a number of seconds");
            }
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new TypeConversionException("must be a finite number of seconds above 0, got " + value);
            }
            return v;
        }
    }

    private static int wholeNumber(String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a whole number of at most "
                    + String.format(Locale.ROOT, "%,d", Integer.MAX_VALUE));
        }
    }

    /**
     * Null when float arrays of {@code elements} values each fit in a Java array and all of them in the heap, else
     * the sentence that says how much they would need and what to do.
     *
     * @param what the options that asked for the sizes, e.g. {@code --m, --k and --n}
     */
    static String refusal(String what, long... elements) {
        long total = 0;
        long largest = 0;
        for (long e : elements) {
            total = Math.addExact(total, e);
            largest = Math.max(largest, e);
        }
        if (largest > MAX_ARRAY) {
            return String.format(Locale.ROOT, "%s: an array of %,d floats (%s) is more than a Java array holds "
                    + "(%,d): use smaller %s", what, largest, gib(4 * largest), MAX_ARRAY, what);
        }
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (4 * total <= available) {
            return null;
        }
        return String.format(Locale.ROOT, "%s: the arrays need about %s, but the JVM has %s left of its %s heap: use "
                + "smaller %s, or give Java more memory, e.g. NABLA_JAVA_OPTS=-Xmx%dg ./nabla …", what,
                gib(4 * total), gib(available), gib(runtime.maxMemory()), what,
                (long) Math.ceil((runtime.maxMemory() - available + 4 * total) * 1.25 / (1L << 30)));
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
