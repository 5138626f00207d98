package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nabla.tensor.Shape;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DigitsTest {

    @Test
    void allHolds1797ImagesOf64PixelsIn10Classes() {
        Dataset all = Digits.all();

        assertEquals(1797, all.size());
        assertEquals(Shape.of(64), all.sampleShape());
        assertEquals(10, all.numClasses());
        assertEquals("digits", all.name());
        int[] perClass = new int[10];
        for (int label : all.labels()) {
            perClass[label]++;
        }
        for (int c = 0; c < 10; c++) {
            assertTrue(perClass[c] > 150, "class " + c + " has " + perClass[c] + " images");
        }
    }

    @Test
    void firstImageMatchesTheFile() {
        Batch first = Digits.all().batch(new int[] {0});

        assertEquals(0, first.y()[0]);
        // Line 1 of digits.csv.gz starts 0,0,5,13,9,1,0,0 and ends with the label 0.
        float[] row = Arrays.copyOf(first.x().data(), 8);
        assertArrayEquals(new float[] {0, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0}, row);
    }

    @Test
    void pixelsAreScaledToUnitRangeAndReachBothEnds() {
        float[] x = Digits.all().batch(DatasetTest.range(1797)).x().data();
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }

        assertEquals(0f, min);
        assertEquals(1f, max);
    }

    @Test
    void fixedSplitIs1437TrainAnd360Test() {
        assertEquals(1437, Digits.train().size());
        assertEquals(360, Digits.test().size());
        assertEquals("digits/train", Digits.train().name());
        assertEquals("digits/test", Digits.test().name());
        assertEquals(10, Digits.test().numClasses());
    }

    @Test
    void fixedSplitIsTheSeededSplitOfAll() {
        Dataset.Split again = Digits.all().split(Digits.TRAIN_FRACTION, Digits.SPLIT_SEED);

        assertArrayEquals(again.train().labels(), Digits.train().labels());
        assertArrayEquals(again.test().labels(), Digits.test().labels());
    }

    @Test
    void trainAndTestAreDisjointAndCoverAll() {
        Set<String> train = rows(Digits.train());
        Set<String> test = rows(Digits.test());
        Set<String> all = rows(Digits.all());

        Set<String> both = new HashSet<>(train);
        both.retainAll(test);
        // NOTE: the source has a few identical images; only those may appear on both sides.
        assertTrue(both.size() <= 5, both.size() + " images are in both parts");
        Set<String> union = new HashSet<>(train);
        union.addAll(test);
        assertEquals(all, union);
    }

    @Test
    void loadedOnceAndShared() {
        assertSame(Digits.all(), Digits.all());
        assertSame(Digits.train(), Digits.train());
    }

    @Test
    void csvWithHeaderSkipsIt() throws IOException {
        String header = "p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,p10,p11,p12,p13,p14,p15,p16,p17,p18,p19,p20,p21,p22,p23,"
                + "p24,p25,p26,p27,p28,p29,p30,p31,p32,p33,p34,p35,p36,p37,p38,p39,p40,p41,p42,p43,p44,p45,p46,p47,"
                + "p48,p49,p50,p51,p52,p53,p54,p55,p56,p57,p58,p59,p60,p61,p62,p63,label\n";

        Dataset d = Digits.parse(reader(header + row(16, 7) + "\n" + row(0, 3) + "\n\n"), "test.csv");

        assertEquals(2, d.size());
        assertArrayEquals(new int[] {7, 3}, d.labels());
        assertEquals(1f, d.batch(new int[] {0}).x().data()[0]);
    }

    @Test
    void missingColumnNamesLine() {
        String text = row(1, 2) + "\n" + row(1, 2).substring(2) + "\n";

        var e = assertThrows(MalformedDataException.class, () -> Digits.parse(reader(text), "d.csv"));

        assertEquals("d.csv line 2: expected 65 comma-separated values, found 64", e.getMessage());
    }

    @Test
    void nonIntegerNamesLineAndColumn() {
        String text = row(1, 2).replaceFirst("^1,1,1", "1,x,1");

        var e = assertThrows(MalformedDataException.class, () -> Digits.parse(reader(text), "d.csv"));

        assertEquals("d.csv line 1, column 2: 'x' is not an integer", e.getMessage());
    }

    @Test
    void pixelOrLabelOutOfRangeNamesLineAndColumn() {
        var pixel = assertThrows(MalformedDataException.class,
                () -> Digits.parse(reader(row(0, 1) + "\n" + row(17, 1)), "d.csv"));
        var label = assertThrows(MalformedDataException.class,
                () -> Digits.parse(reader(row(0, 1) + "\n" + row(0, 10)), "d.csv"));

        assertEquals("d.csv line 2, column 1: pixel 17 is outside 0..16", pixel.getMessage());
        assertEquals("d.csv line 2, column 65: label 10 is outside 0..9", label.getMessage());
    }

    private static String row(int pixel, int label) {
        return (pixel + ",").repeat(64) + label;
    }

    private static BufferedReader reader(String text) {
        return new BufferedReader(new StringReader(text));
    }

    private static Set<String> rows(Dataset d) {
        float[] x = d.batch(DatasetTest.range(d.size())).x().data();
        Set<String> out = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            out.add(Arrays.toString(Arrays.copyOfRange(x, i * 64, i * 64 + 64)) + "=" + d.label(i));
        }
        return out;
    }
}
