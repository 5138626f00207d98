package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Shape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardedLoaderTest {
    /** 23 samples whose only feature is their index, so a batch shows which samples it holds. */
    private final Dataset data = new Dataset("ids", counting(23), Shape.of(1), new int[23], 2);

    private static float[] counting(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    private static int[] ids(Batch batch) {
        float[] x = batch.x().data();
        return IntStream.range(0, x.length).map(i -> (int) x[i]).toArray();
    }

    @Test
    void sampleIGoesToShardIModS() {
        assertArrayEquals(new int[] {1, 5, 9, 13, 17, 21}, ids(ShardedLoader.shard(data, 1, 4).batch(
                IntStream.range(0, 6).toArray())));
        assertEquals(5, ShardedLoader.shard(data, 3, 4).size());
    }

    @Test
    void anEpochTakesEverySampleOnceEachShardFromItsOwnPart() {
        ShardedLoader loader = new ShardedLoader(data, 8, 4, 7);
        assertEquals(3, loader.numBatches(), "the largest shard, 6 samples, in batches of 2");
        assertEquals(3, ShardedLoader.numBatches(23, 8, 4));
        List<Integer> seen = new ArrayList<>();
        for (List<Batch> batch : loader) {
            assertEquals(4, batch.size());
            for (int k = 0; k < 4; k++) {
                if (batch.get(k) == null) {
                    continue;
                }
                assertTrue(batch.get(k).size() <= 2);
                for (int id : ids(batch.get(k))) {
                    assertEquals(k, id % 4, "sample " + id + " in shard " + k);
                    seen.add(id);
                }
            }
        }
        assertEquals(IntStream.range(0, 23).boxed().toList(), seen.stream().sorted().toList());
    }

    @Test
    void aShardThatRanOutGivesNoBatch() {
        Dataset odd = new Dataset("ids", counting(27), Shape.of(1), new int[27], 2);
        ShardedLoader loader = new ShardedLoader(odd, 8, 4, 7);
        assertEquals(4, loader.numBatches(), "shards 0-2 have 7 samples, 4 batches of at most 2");
        List<Batch> last = loader.iterator(3).next();
        assertEquals(1, last.get(0).size());
        assertEquals(1, last.get(2).size());
        assertNull(last.get(3), "shard 3 has 6 samples, 3 batches of 2, and none left");
    }

    @Test
    void aWorkerHoldingOneShardWalksItAsTheLoaderDoes() {
        ShardedLoader loader = new ShardedLoader(data, 8, 4, 11);
        DataLoader worker = ShardedLoader.shardLoader(ShardedLoader.shard(data, 2, 4), 2, 8, 4, 11);
        for (int epoch = 0; epoch < 3; epoch++) {
            Iterator<Batch> own = worker.iterator();
            for (List<Batch> batch : loader) {
                Batch expected = batch.get(2);
                if (expected == null) {
                    assertTrue(!own.hasNext());
                } else {
                    assertArrayEquals(ids(expected), ids(own.next()));
                }
            }
        }
    }

    private static List<Integer> epochIds(ShardedLoader loader) {
        List<Integer> ids = new ArrayList<>();
        for (List<Batch> batch : loader) {
            batch.stream().filter(java.util.Objects::nonNull).forEach(b -> IntStream.of(ids(b)).forEach(ids::add));
        }
        return ids;
    }

    @Test
    void epochsDifferAndTheSameSeedRepeatsThem() {
        ShardedLoader a = new ShardedLoader(data, 8, 4, 3);
        ShardedLoader b = new ShardedLoader(data, 8, 4, 3);
        List<Integer> first = epochIds(a);
        assertEquals(first, epochIds(b));
        assertNotEquals(first, epochIds(a), "successive epochs are shuffled anew");
        assertNotEquals(first, epochIds(new ShardedLoader(data, 8, 4, 4)), "another seed, another order");
    }

    @Test
    void aBatchThatTheShardsDoNotDivideIsRefusedWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> new ShardedLoader(data, 10, 4, 0));
        assertTrue(e.getMessage().contains("multiple of the shards"), e.getMessage());
        var few = assertThrows(IllegalArgumentException.class, () -> new ShardedLoader(data, 48, 24, 0));
        assertTrue(few.getMessage().contains("at most 23 shards"), few.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ShardedLoader(data, 8, 0, 0));
    }
}
