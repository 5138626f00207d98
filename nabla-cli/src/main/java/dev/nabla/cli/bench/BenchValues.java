package dev.nabla.cli.bench;

import dev.nabla.cli.values.Heap;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * What the benchmarks check beyond the commands' converters ({@code cli.values.Converters}): a time in seconds,
 * refused while the command line is parsed when out of range (picocli names the option), and whether the arrays a
 * workload's sizes ask for fit, checked before allocating.
 */
final class BenchValues {
    private BenchValues() {
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
        if (largest > Heap.MAX_ARRAY) {
            return String.format(Locale.ROOT, "%s: an array of %,d floats (%s) is more than a Java array holds "
                    + "(%,d): use smaller %s", what, largest, Heap.gib(4.0 * largest), Heap.MAX_ARRAY, what);
        }
        return Heap.shortfall(what + ": the arrays", 4 * total, what);
    }
}
