package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StandardizationTest {
    /** Two columns: 1, 2, 3, 4 (mean 2.5, population std √1.25) and a constant 7. */
    private static final float[] ROWS = {1, 7, 2, 7, 3, 7, 4, 7};

    @Test
    void fitsEachColumnsMeanAndPopulationStandardDeviation() {
        Standardization s = Standardization.fit(ROWS, 2);
        assertEquals(2, s.width());
        assertArrayEquals(new float[] {2.5f, 7}, s.mean());
        assertEquals((float) Math.sqrt(1.25), s.std(0));
        assertEquals(1f, s.std(1), "a constant column is only centred");
    }

    @Test
    void sumsGatheredPartByPartGiveTheFiguresOfTheWholeFit() {
        // rows 0 and 2 in one part, rows 1 and 3 in the other, each summed alone and then added
        double[] sums = {(1 + 3) + (2 + 4), (7 + 7) + (7 + 7)};
        double[] squares = {(2.25 + 0.25) + (0.25 + 2.25), 0};
        assertEquals(Standardization.fit(ROWS, 2), Standardization.ofSums(4, sums, squares));
    }

    @Test
    void applyGivesMeanZeroAndUnitVarianceAndInvertUndoesIt() {
        Standardization s = Standardization.fit(ROWS, 2);
        float[] scaled = s.apply(ROWS);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < scaled.length; i += 2) {
            sum += scaled[i];
            squares += scaled[i] * scaled[i];
            assertEquals(0f, scaled[i + 1]);
        }
        assertEquals(0, sum, 1e-6);
        assertEquals(4, squares, 1e-5, "variance 1 over the four rows");
        float[] back = s.invert(scaled);
        for (int i = 0; i < ROWS.length; i++) {
            assertEquals(ROWS[i], back[i], 1e-6f);
        }
    }

    /**
     * Images are standardized by one mean and deviation of all their pixels: from the counts of the byte values for
     * an image file's bytes, equal to the fit of one column holding every value for floats.
     */
    @Test
    void ofAllFeaturesFitsOneColumnOfEveryValueWhetherHeldAsBytesOrFloats() {
        byte[] pixels = new byte[6 * 4];
        float[] floats = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37 % 256);
            floats[i] = (pixels[i] & 0xff) / 255f;
        }
        int[] labels = {0, 1, 0, 1, 0, 1};
        Dataset bytes = Dataset.adoptPixels("b", pixels, dev.nabla.tensor.Shape.of(4), labels, 2);
        Dataset asFloats = new Dataset("f", floats, dev.nabla.tensor.Shape.of(4), labels, 2);
        Standardization fromBytes = Standardization.ofAllFeatures(bytes);
        Standardization fromFloats = Standardization.ofAllFeatures(asFloats);
        Standardization oneColumn = Standardization.fit(floats, 1);
        assertEquals(1, fromBytes.width());
        assertEquals(oneColumn.mean()[0], fromBytes.mean()[0], 1e-7f);
        assertEquals(oneColumn.std(0), fromBytes.std(0), 1e-7f);
        assertEquals(oneColumn, fromFloats);
    }

    @Test
    void aDatasetIsStandardizedOnItsOwnFiguresAndRemembersItsTargetScaling() {
        Dataset d = Dataset.regression("r", ROWS, dev.nabla.tensor.Shape.of(2), new float[] {10, 20, 30, 40}, 1);
        Standardization features = Standardization.ofFeatures(d);
        Standardization targets = Standardization.ofTargets(d);
        assertEquals(Standardization.fit(ROWS, 2), features);
        assertEquals(25f, targets.mean()[0]);
        Dataset scaled = d.standardized(features, targets);
        assertEquals(targets, scaled.targetScaling());
        assertEquals(-1.3416f, scaled.targets()[0], 1e-4f);
        assertArrayEquals(features.apply(ROWS), scaled.batch(new int[] {0, 1, 2, 3}).x().data());
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> scaled.standardized(null, targets));
        assertTrue(twice.getMessage().contains("standardized already"), twice.getMessage());
    }

    @Test
    void badFiguresAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Standardization(new float[] {0}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new Standardization(new float[] {0, 1}, new float[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new Standardization(new float[] {Float.NaN},
                new float[] {1}));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> Standardization.fit(ROWS, 2).apply(new float[] {1, 2, 3}));
        assertTrue(ragged.getMessage().contains("not whole rows of the 2 columns"), ragged.getMessage());
    }
}
