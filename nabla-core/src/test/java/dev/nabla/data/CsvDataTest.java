package dev.nabla.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvDataTest {
    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path f = dir.resolve("data.csv");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsFeaturesAndStringLabelsAsSortedClasses() throws IOException {
        Dataset d = CsvData.read(file("width,height,kind\n1.5,2,cat\n3,4e-1,dog\n-1,0,cat\n"), null);
        assertEquals(3, d.size());
        assertEquals(2, d.features());
        assertEquals(List.of("cat", "dog"), d.classNames());
        assertEquals(List.of("width", "height"), d.featureNames());
        assertArrayEquals(new int[] {0, 1, 0}, d.labels());
        assertArrayEquals(new float[] {1.5f, 2, 3, 0.4f, -1, 0}, d.batch(new int[] {0, 1, 2}).x().data());
    }

    @Test
    void aClassIndexOfAMillionOrMoreIsRefusedRatherThanMakingThatManyClasses() throws IOException {
        Path f = file("a,b,label\n1,2,0\n3,4,999999999\n");

        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, null));

        assertTrue(e.getMessage().contains("row 2, column 'label': label 999999999"), e.getMessage());
        assertTrue(e.getMessage().contains("number the classes from 0, or give them as names"), e.getMessage());
    }

    @Test
    void aFileStartingWithBytesThatAreNotUtf8IsMalformedData() throws IOException {
        Path f = Files.write(dir.resolve("latin1.csv"), new byte[] {(byte) 0xe1, ',', 'b', ',', 'c', '\n', '1', ',',
                '2', '\n'});

        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, null));

        assertTrue(e.getMessage().contains("Invalid UTF-8 middle byte 0x2c"), e.getMessage());
        assertTrue(e.getMessage().endsWith("save it as UTF-8 text"), e.getMessage());
    }

    @Test
    void numericLabelsAreClassIndicesAndTheLabelColumnIsChosenByName() throws IOException {
        Dataset d = CsvData.read(file("label,a,b\n2,1,2\n0,3,4\n"), "label");
        assertEquals(List.of("0", "1", "2"), d.classNames());
        assertArrayEquals(new int[] {2, 0}, d.labels());
        assertEquals(List.of("a", "b"), d.featureNames());
    }

    @Test
    void aTestFileTakesTheTrainingClassesAndColumns() throws IOException {
        Path f = file("b,y,a\n2,dog,1\n");
        Dataset d = CsvData.read(f, "y", List.of("cat", "dog"), List.of("a", "b"));
        assertArrayEquals(new int[] {1}, d.labels());
        assertArrayEquals(new float[] {1, 2}, d.batch(new int[] {0}).x().data());
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, "y", List.of("cat", "cow"), null));
        assertEquals(f + ": row 1, column 'y': label 'dog' is not one of the classes [cat, cow]: the labels must be "
                + "those of the training data", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        ragged row        | a,b,y\\n1,2,x\\n1,x\\n   | : row 2 has 2 cells, the header 3: every row needs one value per column
        not a number      | a,b,y\\n1,abc,x\\n       | : row 1, column 'b': 'abc' is not a number: features must be numeric
        empty cell        | a,b,y\\n1,,x\\n          | : row 1, column 'b': '' is not a number (the cell is empty)
        NaN               | a,b,y\\n1,NaN,x\\n       | : row 1, column 'b' is NaN: a model can neither learn from nor
        infinity          | a,b,y\\n1,Infinity,x\\n  | : row 1, column 'b' is Infinity: a model can neither learn from nor
        empty file        | ''                       | is empty: a CSV file needs a header row
        header only       | a,b,y\\n                 | has a header row but no rows
        one column        | y\\n1\\n                 | has 1 column, and needs features and a label
        """)
    void refusesBadDataNamingFileRowAndColumn(String what, String content, String expected) throws IOException {
        Path f = file(content.replace("\\n", "\n"));
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, null));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }

    @Test
    void aMissingLabelColumnListsTheColumns() throws IOException {
        Path f = file("a,b\n1,2\n");
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, "label"));
        assertEquals(f + " has no column 'label'; its columns are [a, b]: give the label column with --label-column "
                + "NAME", e.getMessage());
    }

    @Test
    void featuresForPredictionTakeTheModelsColumnsByName() throws IOException {
        Path f = file("b,a,y\n2,1,x\n4,3,z\n");
        assertArrayEquals(new float[] {1, 2, 3, 4}, CsvData.features(f, List.of("a", "b"), 2));
        var e = assertThrows(MalformedDataException.class, () -> CsvData.features(f, List.of(), 2));
        assertEquals(f + " has 3 columns [b, a, y], but the model takes 2 features: give one row per input with "
                + "those columns", e.getMessage());
    }

    @Test
    void regressionReadsNumericTargetColumnsByNameAndTheOthersAsFeatures() throws IOException {
        Path f = file("u,a,v,b\n1.5,1,-2,2\n2.5,3,4e1,4\n");
        Dataset d = CsvData.readRegression(f, List.of("v", "u"), null);
        assertTrue(d.isRegression());
        assertEquals(List.of("v", "u"), d.targetNames());
        assertEquals(List.of("a", "b"), d.featureNames());
        assertArrayEquals(new float[] {-2, 1.5f, 40, 2.5f}, d.targets());
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.batch(new int[] {0, 1}).x().data());
        Dataset last = CsvData.readRegression(f, List.of(), null);
        assertEquals(List.of("b"), last.targetNames(), "the last column by default");
        Dataset test = CsvData.readRegression(file("b,v,a,u\n4,0,3,1\n"), List.of("v", "u"), List.of("a", "b"));
        assertArrayEquals(new float[] {3, 4}, test.batch(new int[] {0}).x().data());
    }

    @Test
    void aTargetThatIsNotANumberIsNamedByRowAndColumn() throws IOException {
        Path f = file("a,y\n1,2\n3,tall\n");
        var e = assertThrows(MalformedDataException.class, () -> CsvData.readRegression(f, List.of("y"), null));
        assertEquals(f + ": row 2, column 'y': 'tall' is not a number: features must be numeric; encode categories as "
                + "numbers, or drop the column", e.getMessage());
        var missing = assertThrows(MalformedDataException.class, () -> CsvData.readRegression(f, List.of("z"), null));
        assertTrue(missing.getMessage().contains("has no column 'z'; its columns are [a, y]"), missing.getMessage());
        var all = assertThrows(MalformedDataException.class, () -> CsvData.readRegression(f, List.of("a", "y"),
                null));
        assertTrue(all.getMessage().contains("leave no feature column"), all.getMessage());
    }

    @Test
    void aLabelColumnOfManyFractionalNumbersSuggestsRegression() throws IOException {
        StringBuilder csv = new StringBuilder("a,price\n");
        for (int i = 0; i < 30; i++) {
            csv.append(i).append(',').append(100 + i * 0.25).append('\n');
        }
        Path f = file(csv.toString());
        var e = assertThrows(MalformedDataException.class, () -> CsvData.read(f, null));
        assertEquals(f + ": the label column 'price' holds 30 distinct numbers, such as 100.0: to predict the number, "
                + "add --task regression; to classify, give labels that are class indices or names", e.getMessage());
        Dataset whole = CsvData.read(file("a,y\n1,0\n2,1.0\n"), null);
        assertEquals(List.of("0", "1.0"), whole.classNames(), "few distinct labels are still classes");
    }
}
