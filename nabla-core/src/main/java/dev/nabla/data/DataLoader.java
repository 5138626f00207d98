package dev.nabla.data;

import dev.nabla.tensor.Rng;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Cuts a {@link Dataset} into mini-batches, one epoch per {@link #iterator()} call, as PyTorch's
 * {@code DataLoader}.
 *
 * <pre>{@code
 * var loader = new DataLoader(Digits.train(), 64, DataLoader.shuffled(seed));
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     for (Batch batch : loader) { ... }
 * }
 * }</pre>
 *
 * <p>With shuffling, one {@link Rng} is seeded in the constructor and every {@code iterator()} call draws the next
 * permutation from it: epoch {@code k}'s order depends only on the seed and {@code k}, so two loaders with the
 * same seed give the same sequence of epochs, while successive epochs differ.
 *
 * <p><b>Note:</b> that makes a loader stateful: iterating it "just to count" advances the epoch. Build a new
 * loader to replay from the first epoch.
 */
public final class DataLoader implements Iterable<Batch> {
    private final Dataset data;
    private final int batchSize;
    private final Options options;
    private final Rng rng;

    /**
     * How a loader walks the data.
     *
     * @param shuffle  draw a fresh random order every epoch (else sample order)
     * @param seed     the seed of the shuffle; ignored without it
     * @param dropLast leave out the last batch when it is smaller than the batch size
     */
    public record Options(boolean shuffle, long seed, boolean dropLast) {

        /** A copy with {@code dropLast} set. */
        public Options dropLast(boolean drop) {
            return new Options(shuffle, seed, drop);
        }
    }

    /** Batches in sample order, keeping the last partial batch. */
    public DataLoader(Dataset data, int batchSize) {
        this(data, batchSize, inOrder());
    }

    /** Batches of {@code batchSize} samples of {@code data}, walked as {@code options} say. */
    public DataLoader(Dataset data, int batchSize, Options options) {
        this.data = Objects.requireNonNull(data, "data");
        this.options = Objects.requireNonNull(options, "options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + " for " + data.name()
                    + ": it must be at least 1");
        }
        this.batchSize = batchSize;
        this.rng = options.shuffle() ? new Rng(options.seed()) : null;
    }

    /** Shuffled every epoch from {@code seed}, keeping the last partial batch. */
    public static Options shuffled(long seed) {
        return new Options(true, seed, false);
    }

    /** In sample order, keeping the last partial batch. */
    public static Options inOrder() {
        return new Options(false, 0L, false);
    }

    /** The number of samples in every batch but possibly the last. */
    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch: {@code N / batchSize} with {@code dropLast}, else rounded up. */
    public int numBatches() {
        int n = data.size();
        return options.dropLast() ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The data being batched. */
    public Dataset dataset() {
        return data;
    }

    /** How the data is walked. */
    public Options options() {
        return options;
    }

    /** One epoch. With shuffling, each call draws the next epoch's order. */
    @Override
    public Iterator<Batch> iterator() {
        return iterator(0);
    }

    /**
     * One epoch from batch {@code first} on: the order is drawn as by {@link #iterator()}, and the batches before
     * {@code first} are skipped without being built. A run resumed from a checkpoint continues its epoch so.
     *
     * @throws IllegalArgumentException when {@code first} is not in {@code [0, numBatches()]}
     */
    public Iterator<Batch> iterator(int first) {
        if (first < 0 || first > numBatches()) {
            throw new IllegalArgumentException("batch " + first + " is not in an epoch of " + numBatches()
                    + " batches of " + data.name());
        }
        Epoch epoch = new Epoch(nextOrder(), numBatches());
        epoch.next = first;
        return epoch;
    }

    private synchronized int[] nextOrder() {
        if (rng != null) {
            return rng.permutation(data.size());
        }
        int[] order = new int[data.size()];
        Arrays.setAll(order, i -> i);
        return order;
    }

    private final class Epoch implements Iterator<Batch> {
        private final int[] order;
        private final int batches;
        private int next;

        Epoch(int[] order, int batches) {
            this.order = order;
            this.batches = batches;
        }

        @Override
        public boolean hasNext() {
            return next < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("epoch over: all " + batches + " batches were returned");
            }
            int start = next++ * batchSize;
            int end = Math.min(start + batchSize, order.length);
            return data.batch(Arrays.copyOfRange(order, start, end));
        }
    }
}
