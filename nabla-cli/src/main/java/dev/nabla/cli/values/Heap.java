package dev.nabla.cli.values;

import java.util.Locale;

/**
 * What the JVM's heap holds, in the words a refusal uses: the largest Java array, the memory left, and the sentence
 * that says a size needs more than that and how to give Java more. The commands' and the benchmarks' memory checks
 * share it, so every refusal reads the same.
 */
public final class Heap {
    /** The most elements a Java array holds (a little under 2³¹, as the JDK's own collections assume). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private Heap() {
    }

    /**
     * Null when {@code neededBytes} fit in what is left of the heap, else {@code "<subject> need about X, but the JVM
     * has Y left of its Z heap: use smaller <sizes>, or give Java more memory, e.g. NABLA_JAVA_OPTS=-XmxNg ./nabla …"}.
     */
    public static String shortfall(String subject, long neededBytes, String sizes) {
        Runtime runtime = Runtime.getRuntime();
        long available = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
        if (neededBytes <= available) {
            return null;
        }
        return String.format(Locale.ROOT, "%s need about %s, but the JVM has %s left of its %s heap: use smaller %s, "
                + "or give Java more memory, e.g. NABLA_JAVA_OPTS=-Xmx%dg ./nabla …", subject, gib(neededBytes),
                gib(available), gib(runtime.maxMemory()), sizes,
                (long) Math.ceil((runtime.maxMemory() - available + neededBytes) * 1.25 / (1L << 30)));
    }

    /** Bytes as GiB with one decimal, e.g. {@code 5.9 GiB}. */
    public static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
