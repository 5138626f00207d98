package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    private final Dataset data = DatasetTest.numbered(10);

    @Test
    void keepsLastPartialBatchByDefault() {
        var loader = new DataLoader(data, 4);

        List<Batch> batches = epoch(loader);

        assertEquals(3, loader.numBatches());
        assertEquals(3, batches.size());
        assertEquals(Shape.of(4, 2, 3), batches.get(0).x().shape());
        assertEquals(Shape.of(2, 2, 3), batches.get(2).x().shape());
        assertArrayEquals(new int[] {2, 0}, batches.get(2).y(), "samples 8 and 9");
    }

    @Test
    void dropLastLeavesOutThePartialBatch() {
        var loader = new DataLoader(data, 4, DataLoader.inOrder().dropLast(true));

        assertEquals(2, loader.numBatches());
        assertEquals(2, epoch(loader).size());
        assertEquals(8, ids(loader.iterator()).length);
    }

    @Test
    void exactMultipleHasNoPartialBatch() {
        assertEquals(2, new DataLoader(data, 5).numBatches());
        assertEquals(2, new DataLoader(data, 5, DataLoader.inOrder().dropLast(true)).numBatches());
        assertEquals(1, new DataLoader(data, 64).numBatches());
        assertEquals(0, new DataLoader(data, 64, DataLoader.shuffled(1).dropLast(true)).numBatches());
    }

    @Test
    void inOrderWalksSamplesInOrderEveryEpoch() {
        var loader = new DataLoader(data, 3);

        assertArrayEquals(DatasetTest.range(10), ids(loader.iterator()));
        assertArrayEquals(DatasetTest.range(10), ids(loader.iterator()));
    }

    @Test
    void sameSeedGivesSameSequenceOfEpochs() {
        var a = new DataLoader(data, 3, DataLoader.shuffled(7));
        var b = new DataLoader(data, 3, DataLoader.shuffled(7));

        for (int epoch = 0; epoch < 3; epoch++) {
            assertArrayEquals(ids(a.iterator()), ids(b.iterator()), "epoch " + epoch);
        }
    }

    @Test
    void successiveEpochsDiffer() {
        var loader = new DataLoader(DatasetTest.numbered(50), 8, DataLoader.shuffled(7));

        int[] first = ids(loader.iterator());
        int[] second = ids(loader.iterator());

        assertFalse(Arrays.equals(first, second));
        assertFalse(Arrays.equals(DatasetTest.range(50), first), "shuffled, not in order");
    }

    @Test
    void differentSeedsGiveDifferentOrders() {
        var a = new DataLoader(DatasetTest.numbered(50), 8, DataLoader.shuffled(1));
        var b = new DataLoader(DatasetTest.numbered(50), 8, DataLoader.shuffled(2));

        assertFalse(Arrays.equals(ids(a.iterator()), ids(b.iterator())));
    }

    @Test
    void everySampleAppearsOncePerEpoch() {
        var loader = new DataLoader(DatasetTest.numbered(23), 5, DataLoader.shuffled(3));

        for (int epoch = 0; epoch < 4; epoch++) {
            int[] seen = ids(loader.iterator());
            Arrays.sort(seen);
            assertArrayEquals(DatasetTest.range(23), seen, "epoch " + epoch);
        }
    }

    @Test
    void labelsTravelWithTheirSamples() {
        for (Batch b : new DataLoader(data, 4, DataLoader.shuffled(5))) {
            int[] ids = idsOf(b);
            for (int i = 0; i < ids.length; i++) {
                assertEquals(ids[i] % 3, b.y()[i]);
            }
        }
    }

    @Test
    void batchesDoNotShareArrays() {
        Iterator<Batch> it = new DataLoader(data, 4).iterator();
        Batch first = it.next();
        float[] before = first.x().data().clone();
        Batch second = it.next();

        assertNotSame(first.x().data(), second.x().data());
        assertNotSame(first.y(), second.y());
        assertArrayEquals(before, first.x().data());
    }

    @Test
    void iteratorEndsWithNoSuchElement() {
        Iterator<Batch> it = new DataLoader(data, 10).iterator();
        it.next();

        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void optionsAreRecordsAndDropLastCopies() {
        DataLoader.Options shuffled = DataLoader.shuffled(9);
        DataLoader.Options dropping = shuffled.dropLast(true);

        assertEquals(new DataLoader.Options(true, 9, false), shuffled);
        assertEquals(new DataLoader.Options(true, 9, true), dropping);
        assertEquals(new DataLoader.Options(false, 0, false), DataLoader.inOrder());
    }

    @Test
    void nonPositiveBatchSizeIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DataLoader(data, 0));

        assertTrue(e.getMessage().contains("batch size 0"), e.getMessage());
    }

    @Test
    void reportsItsSettings() {
        var loader = new DataLoader(data, 4);

        assertEquals(4, loader.batchSize());
        assertSame(data, loader.dataset());
    }

    private static List<Batch> epoch(DataLoader loader) {
        List<Batch> out = new ArrayList<>();
        loader.forEach(out::add);
        return out;
    }

    private static int[] ids(Iterator<Batch> epoch) {
        List<Integer> ids = new ArrayList<>();
        epoch.forEachRemaining(b -> Arrays.stream(idsOf(b)).forEach(ids::add));
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The original sample indices in a batch of {@link DatasetTest#numbered} data. */
    private static int[] idsOf(Batch b) {
        int width = 6;
        int[] ids = new int[b.y().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) b.x().data()[i * width] / 10;
        }
        return ids;
    }
}
