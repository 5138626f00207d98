package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Shape;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void imagesHeldAsBytesGiveTheFloatsOfTheSameImagesHeldAsFloats() {
        byte[] pixels = new byte[5 * 4];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 53);   // 0 … 255, wrapping into the negative bytes
        }
        int[] labels = {0, 1, 2, 1, 0};
        Dataset bytes = Dataset.adoptPixels("px", pixels.clone(), Shape.of(4), labels.clone(), 3);
        Dataset floats = new Dataset("px", new IdxImages(5, 2, 2, pixels).toUnitFloats(), Shape.of(4), labels, 3);
        int[] order = {4, 0, 3, 3};
        assertArrayEquals(floats.batch(order).x().data(), bytes.batch(order).x().data());
        assertArrayEquals(floats.featureValues(), bytes.featureValues());
        Dataset.Split a = bytes.split(0.6, 9);
        Dataset.Split b = floats.split(0.6, 9);
        assertArrayEquals(b.test().batch(new int[] {0, 1}).x().data(), a.test().batch(new int[] {0, 1}).x().data());
        assertArrayEquals(b.train().labels(), a.train().labels());
        assertTrue(a.train().batch(new int[] {0}).x().data()[0] <= 1f, "bytes read as byte / 255");
    }


    /** {@code n} samples of shape [2, 3]; sample i holds i·10 + j, label i % 3. */
    static Dataset numbered(int n) {
        float[] x = new float[n * 6];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 6; j++) {
                x[i * 6 + j] = i * 10 + j;
            }
            y[i] = i % 3;
        }
        return new Dataset("numbered", x, Shape.of(2, 3), y, 3);
    }

    @Test
    void reportsSizeShapeAndLabels() {
        Dataset d = numbered(5);

        assertEquals("numbered", d.name());
        assertEquals(5, d.size());
        assertEquals(Shape.of(2, 3), d.sampleShape());
        assertEquals(6, d.features());
        assertEquals(3, d.numClasses());
        assertEquals(1, d.label(4));
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, d.labels());
    }

    @Test
    void constructorAndLabelsCopyTheirArrays() {
        float[] x = {1, 2};
        int[] y = {0, 1};
        Dataset d = new Dataset("d", x, Shape.of(1), y, 2);
        x[0] = 99;
        y[0] = 1;
        d.labels()[1] = 0;

        assertEquals(1f, d.batch(new int[] {0}).x().data()[0]);
        assertArrayEquals(new int[] {0, 1}, d.labels());
    }

    @Test
    void batchCopiesRowsInIndexOrder() {
        Dataset d = numbered(5);

        Batch b = d.batch(new int[] {3, 0, 3});

        assertEquals(Shape.of(3, 2, 3), b.x().shape());
        assertArrayEquals(new int[] {0, 0, 0}, b.y());
        assertArrayEquals(new float[] {30, 31, 32, 33, 34, 35, 0, 1, 2, 3, 4, 5, 30, 31, 32, 33, 34, 35},
                b.x().data());
    }

    @Test
    void batchIndexOutOfRangeNamesIndexAndPosition() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> numbered(5).batch(new int[] {1, 5}));

        assertTrue(e.getMessage().contains("index 5 at position 1 is outside [0, 5)"), e.getMessage());
    }

    @Test
    void subsetKeepsChosenRows() {
        Dataset s = numbered(5).subset("pair", new int[] {4, 2});

        assertEquals("pair", s.name());
        assertEquals(2, s.size());
        assertArrayEquals(new int[] {1, 2}, s.labels());
        assertEquals(40f, s.batch(new int[] {0}).x().data()[0]);
    }

    @Test
    void nanFeatureNamesSampleAndFeature() {
        float[] x = new float[20 * 4];
        x[12 * 4 + 3] = Float.NaN;

        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", x, Shape.of(4), new int[20], 2));

        assertEquals("dataset 'x': sample 12, feature 3 is NaN: clean or impute the input", e.getMessage());
    }

    @Test
    void infiniteFeatureIsRejected() {
        float[] x = {0, 0, Float.NEGATIVE_INFINITY, 0};

        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", x, Shape.of(2), new int[2], 2));

        assertTrue(e.getMessage().contains("sample 1, feature 0 is -Infinity"), e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesSampleLabelAndRange() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[3], Shape.of(1), new int[] {0, 10, 2}, 10));

        String m = e.getMessage();
        assertTrue(m.contains("sample 1 has label 10"), m);
        assertTrue(m.contains("[0, 10)"), m);
    }

    @Test
    void negativeLabelIsRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[2], Shape.of(1), new int[] {0, -1}, 10));

        assertTrue(e.getMessage().contains("sample 1 has label -1"), e.getMessage());
    }

    @Test
    void featureCountMustFillTheSamples() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("x", new float[10], Shape.of(4), new int[3], 2));

        assertTrue(e.getMessage().contains("10 feature values for 3 labels of sample shape [4]"), e.getMessage());
        assertTrue(e.getMessage().contains("12 values"), e.getMessage());
    }

    @Test
    void splitCutsAtTheFloorOfTheFraction() {
        Dataset.Split s = numbered(11).split(0.8, 1);

        assertEquals(8, s.train().size());
        assertEquals(3, s.test().size());
        assertEquals("numbered/train", s.train().name());
        assertEquals("numbered/test", s.test().name());
    }

    @Test
    void splitIsDeterministicAndDisjoint() {
        Dataset d = numbered(40);

        Dataset.Split a = d.split(0.75, 42);
        Dataset.Split b = d.split(0.75, 42);
        Dataset.Split c = d.split(0.75, 43);

        assertArrayEquals(ids(a.train()), ids(b.train()));
        assertArrayEquals(ids(a.test()), ids(b.test()));
        assertNotEquals(Set.of(ids(a.test())), Set.of(ids(c.test())), "another seed, another split");
        Set<Integer> all = new HashSet<>();
        for (int id : ids(a.train())) {
            all.add(id);
        }
        for (int id : ids(a.test())) {
            assertTrue(all.add(id), "sample " + id + " is in both parts");
        }
        assertEquals(40, all.size());
    }

    @Test
    void splitFractionOutsideUnitIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> numbered(4).split(1.5, 0));
        assertThrows(IllegalArgumentException.class, () -> numbered(4).split(Double.NaN, 0));
    }

    /** The original index of every sample of a dataset made by {@link #numbered}, from its first feature. */
    static int[] ids(Dataset d) {
        float[] x = d.batch(range(d.size())).x().data();
        int[] ids = new int[d.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (int) x[i * d.features()] / 10;
        }
        return ids;
    }

    static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Three samples of two features, targets (u, v) = (x0 + x1, x0 − x1). */
    private static Dataset sums() {
        return Dataset.regression("sums", new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2), new float[] {3, -1, 7, -1, 11,
                -1}, 2).withTargetNames(java.util.List.of("u", "v"));
    }

    @Test
    void aRegressionDatasetCarriesItsTargetsThroughBatchesSubsetsAndSplits() {
        Dataset d = sums();
        assertTrue(d.isRegression());
        assertEquals(3, d.size());
        assertEquals(2, d.outputs());
        assertEquals(0, d.numClasses());
        assertEquals(java.util.List.of("u", "v"), d.targetNames());
        assertTrue(d.classNames().isEmpty());
        Batch b = d.batch(new int[] {2, 0});
        assertArrayEquals(new float[] {5, 6, 1, 2}, b.x().data());
        assertArrayEquals(new float[] {11, -1, 3, -1}, b.target().data());
        assertEquals(Shape.of(2, 2), b.target().shape());
        assertEquals(null, b.y());
        assertEquals(2, b.size());
        Dataset.Split split = d.split(2.0 / 3, 1);
        assertEquals(2, split.train().size());
        assertEquals(java.util.List.of("u", "v"), split.test().targetNames());
        float[] all = new float[6];
        System.arraycopy(split.train().targets(), 0, all, 0, 4);
        System.arraycopy(split.test().targets(), 0, all, 4, 2);
        double sumU = all[0] + all[2] + all[4];
        assertEquals(21, sumU, 0, "every sample is in one part, with its own targets");
        assertEquals("dataset 'sums': 3 samples of [2], targets [u, v]", d.toString());
    }

    @Test
    void aRegressionDatasetHasNoLabelsAndRefusesNonFiniteTargets() {
        IllegalStateException labels = assertThrows(IllegalStateException.class, () -> sums().labels());
        assertTrue(labels.getMessage().contains("regression targets, not class labels"), labels.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Dataset.regression("bad",
                new float[] {1, 2}, Shape.of(1), new float[] {0, Float.NaN}, 1));
        assertEquals("dataset 'bad': sample 1, target y is NaN: drop the sample or impute its target",
                nan.getMessage());
        assertThrows(IllegalStateException.class, () -> numbered(2).targets());
        assertThrows(IllegalArgumentException.class, () -> Dataset.regression("ragged", new float[] {1, 2},
                Shape.of(1), new float[] {1, 2, 3}, 2));
    }
}
