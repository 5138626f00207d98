package dev.nabla.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Walks a {@link Dataset} as data-parallel training does: cut once into a fixed number of shards, each shuffled by
 * its own generator, every global batch made of one batch from each shard.
 *
 * <p>Sample {@code i} belongs to shard {@code i mod S} ({@link #shard}), so the cut depends on the data alone, not on
 * how many machines or threads will work on it. Shard {@code k} is walked by its own {@link DataLoader} in batches of
 * {@code B / S} samples, shuffled every epoch from {@link #shardSeed(long, int) shardSeed(seed, k)}. Batch {@code t}
 * of an epoch is the list of every shard's batch {@code t} in shard order; a shard that has run out of samples (they
 * differ by at most one in size) gives none ({@code null}) in the epoch's last batch. An epoch has as many batches as
 * its largest shard: {@code ceil(ceil(N / S) / (B / S))}.
 *
 * <p>A worker that holds only shard {@code k} walks it exactly as this loader does with
 * {@link #shardLoader(Dataset, int, int, int, long)}: that is what makes a distributed run equal a single-machine one.
 * Stateful as {@link DataLoader}: each {@link #iterator} call draws the next epoch's orders.
 */
public final class ShardedLoader implements Iterable<List<Batch>> {
    private final List<DataLoader> shards;
    private final int numBatches;

    /**
     * @param batchSize the global batch, a multiple of {@code shards}
     * @throws IllegalArgumentException when the batch is not a multiple of the shards, or there are more shards than
     *                                  samples
     */
    public ShardedLoader(Dataset data, int batchSize, int shards, long seed) {
        Objects.requireNonNull(data, "data");
        checkShards(batchSize, shards, data.size(), data.name());
        List<DataLoader> loaders = new ArrayList<>(shards);
        for (int k = 0; k < shards; k++) {
            loaders.add(shardLoader(shard(data, k, shards), k, batchSize, shards, seed));
        }
        this.shards = List.copyOf(loaders);
        this.numBatches = loaders.get(0).numBatches();   // shard 0 is the largest
    }

    /**
     * Checks that {@code batchSize} samples can be cut into {@code shards} equal parts and that each shard of the
     * {@code samples} has one.
     */
    public static void checkShards(int batchSize, int shards, int samples, String data) {
        if (shards < 1) {
            throw new IllegalArgumentException("the data must be cut into at least 1 shard, got " + shards);
        }
        if (batchSize < 1 || batchSize % shards != 0) {
            throw new IllegalArgumentException("a batch of " + batchSize + " cannot be cut into " + shards
                    + " equal shards: give a batch size that is a multiple of the shards");
        }
        if (shards > samples) {
            throw new IllegalArgumentException(data + " has " + samples + " samples, fewer than the " + shards
                    + " shards: give at most " + samples + " shards");
        }
    }

    /** Shard {@code k} of {@code shards}: the samples {@code k, k + S, k + 2S, …}, in that order. */
    public static Dataset shard(Dataset data, int k, int shards) {
        Objects.checkIndex(k, shards);
        int[] indices = IntStream.iterate(k, i -> i < data.size(), i -> i + shards).toArray();
        return data.subset(data.name() + " shard " + k + "/" + shards, indices);
    }

    /**
     * The loader of shard {@code k} (as {@link #shard} cuts it): batches of {@code batchSize / shards} samples,
     * shuffled every epoch from {@link #shardSeed}.
     */
    public static DataLoader shardLoader(Dataset shard, int k, int batchSize, int shards, long seed) {
        return new DataLoader(shard, batchSize / shards, DataLoader.shuffled(shardSeed(seed, k)));
    }

    /** The seed of shard {@code k}'s shuffle: the run's seed moved by {@code k + 1} steps of SplitMix64's gamma. */
    public static long shardSeed(long seed, int k) {
        return seed + 0x9e3779b97f4a7c15L * (k + 1);
    }

    /** The global batches of an epoch of {@code samples} cut into {@code shards} walked {@code batchSize} at a time. */
    public static int numBatches(int samples, int batchSize, int shards) {
        int largest = (samples + shards - 1) / shards;
        int perShard = batchSize / shards;
        return (largest + perShard - 1) / perShard;
    }

    /** The number of shards. */
    public int shards() {
        return shards.size();
    }

    /** Global batches per epoch. */
    public int numBatches() {
        return numBatches;
    }

    @Override
    public Iterator<List<Batch>> iterator() {
        return iterator(0);
    }

    /**
     * One epoch from global batch {@code first} on, each shard's order drawn as by {@link DataLoader#iterator(int)}.
     *
     * @throws IllegalArgumentException when {@code first} is not in {@code [0, numBatches()]}
     */
    public Iterator<List<Batch>> iterator(int first) {
        if (first < 0 || first > numBatches) {
            throw new IllegalArgumentException("batch " + first + " is not in an epoch of " + numBatches
                    + " batches");
        }
        List<Iterator<Batch>> epochs = shards.stream()
                .map(l -> l.iterator(Math.min(first, l.numBatches()))).toList();
        return new Iterator<>() {
            private int next = first;

            @Override
            public boolean hasNext() {
                return next < numBatches;
            }

            @Override
            public List<Batch> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch over: all " + numBatches + " batches were returned");
                }
                next++;
                List<Batch> batch = new ArrayList<>(epochs.size());
                epochs.forEach(e -> batch.add(e.hasNext() ? e.next() : null));
                return batch;
            }
        };
    }
}
